package app.deeplive.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ThreadPriorityTest {
    /** The calling thread's nice value, from /proc (field 19 of its stat line). */
    private static int niceOfThisThread() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]); // fields from the 3rd on: nice is the 19th
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxOnlyTheCallingThreadIsLowered() throws Exception {
        int before = niceOfThisThread();
        AtomicInteger lowered = new AtomicInteger(Integer.MIN_VALUE);
        Thread worker = new Thread(() -> {
            try {
                assertTrue(ThreadPriority.lowerCurrent(10));
                lowered.set(niceOfThisThread());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        worker.start();
        worker.join();
        assertEquals(Math.max(10, before), lowered.get(), "the worker runs at nice 10 (or lower, if it already was)");
        assertEquals(before, niceOfThisThread(), "the caller's own thread is untouched");
    }
}
