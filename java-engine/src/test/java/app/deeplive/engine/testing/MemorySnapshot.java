package app.deeplive.engine.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.bytedeco.javacpp.Pointer;

/**
 * Memory in use at one moment, after garbage collection, split the way leak tests need it.
 *
 * <p>{@code nativeOutsideJvm} is the resident set minus what the JVM has committed for its heap and its own pools
 * (code cache, metaspace). The resident set alone also moves when G1 resizes the young generation or the JIT fills
 * the code cache: tens of MB between two readings on a busy CI machine, which a leak bound then mistakes for a leak.
 * What remains is OpenCV's, ONNX Runtime's and JavaCPP's memory, where a per-frame native leak shows in full.
 *
 * @param heap the heap in use after collection
 * @param tracked the bytes JavaCPP has allocated and not yet freed
 * @param resident the process's resident set
 * @param nativeOutsideJvm the resident set less the JVM's committed heap and non-heap pools
 */
public record MemorySnapshot(long heap, long tracked, long resident, long nativeOutsideJvm) {

    public static MemorySnapshot now() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50); // JavaCPP frees the collected pointers on its own thread
        }
        MemoryMXBean jvm = ManagementFactory.getMemoryMXBean();
        long resident = Pointer.physicalBytes();
        long committedByJvm = jvm.getHeapMemoryUsage().getCommitted() + jvm.getNonHeapMemoryUsage().getCommitted();
        return new MemorySnapshot(jvm.getHeapMemoryUsage().getUsed(), Pointer.totalBytes(), resident,
                resident - committedByJvm);
    }

    @Override
    public String toString() {
        return "heap " + heap + " B, JavaCPP " + tracked + " B, resident " + resident + " B (native outside the JVM "
                + nativeOutsideJvm + " B)";
    }
}
