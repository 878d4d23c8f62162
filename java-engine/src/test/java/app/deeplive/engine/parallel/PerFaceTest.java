package app.deeplive.engine.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class PerFaceTest {
    @Test
    void everyFaceRunsOnceAndAllAreDoneOnReturn() {
        for (int n : new int[] {0, 1, 2, 6, 17}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(n, 1));
            PerFace.run(n, runs::incrementAndGet);
            for (int i = 0; i < n; i++) {
                assertEquals(1, runs.get(i), "face " + i + " of " + n);
            }
        }
    }

    @Test
    void oneFaceRunsOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        PerFace.run(1, i -> assertSame(caller, Thread.currentThread()));
    }

    @Test
    void aFailingFaceFailsTheCallOnlyAfterEveryOtherFaceFinished() {
        AtomicIntegerArray done = new AtomicIntegerArray(8);
        assertThrows(IllegalStateException.class, () -> PerFace.run(8, i -> {
            if (i == 0) {
                throw new IllegalStateException("face 0");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.set(i, 1);
        }));
        for (int i = 1; i < 8; i++) {
            assertEquals(1, done.get(i), "face " + i + " still running when the call returned");
        }
    }

    @Test
    void aFailingFaceFailsTheCall() {
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> PerFace.run(4, i -> {
            if (i == 2) {
                throw new IllegalStateException("face 2");
            }
        }));
        assertEquals("face 2", x.getMessage());
    }
}
