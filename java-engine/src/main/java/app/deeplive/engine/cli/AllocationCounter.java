package app.deeplive.engine.cli;

import java.lang.management.ManagementFactory;

/** Java heap bytes the current thread has allocated so far (HotSpot's per-thread counter), or 0 where unsupported. */
final class AllocationCounter {
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private AllocationCounter() {}

    static long threadBytes() {
        return threadBytes(Thread.currentThread());
    }

    /** The same for {@code thread}. */
    static long threadBytes(Thread thread) {
        return THREADS instanceof com.sun.management.ThreadMXBean hotspot && hotspot.isThreadAllocatedMemorySupported()
                ? hotspot.getThreadAllocatedBytes(thread.getId())
                : 0;
    }
}
