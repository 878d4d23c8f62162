package app.deeplive.engine.live;

import java.util.ArrayDeque;

/**
 * The test's side of a fed frame intake: the sequences submitted and not yet lent, and how many frames came back.
 * Intakes lend in submission order and count a frame only after recording it, so a test that waited for the count
 * sees the record.
 */
final class SubmittedFrames {
    private final Object lock = new Object();
    private final ArrayDeque<Long> waiting = new ArrayDeque<>();
    private long handedBack;

    void submit(long sequence) {
        synchronized (lock) {
            waiting.add(sequence);
            lock.notifyAll();
        }
    }

    /** The next submitted sequence, waiting up to {@code timeoutNanos}; -1 when none came (sequences are never negative). */
    long take(long timeoutNanos) {
        synchronized (lock) {
            long deadline = System.nanoTime() + timeoutNanos;
            while (waiting.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -1;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
            return waiting.removeFirst();
        }
    }

    void countHandedBack() {
        synchronized (lock) {
            handedBack++;
            lock.notifyAll();
        }
    }

    long handedBack() {
        synchronized (lock) {
            return handedBack;
        }
    }

    /** Waits until {@code count} frames came back; false on timeout. */
    boolean awaitHandedBack(long count, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (lock) {
            while (handedBack < count) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }
}
