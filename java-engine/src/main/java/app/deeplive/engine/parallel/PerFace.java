package app.deeplive.engine.parallel;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * A frame's per-face work (crops, tensors, warps) spread over the machine's cores. With several faces the work
 * around the models, not the models, is what a frame waits for on a GPU (issue "GPU engine": 6 faces, enhance stage
 * 26.6 ms of which the model took 2.4); each face's part is independent, so its faces run side by side on the common
 * fork-join pool, the calling thread taking its share. One face runs on the calling thread with no hand-over.
 */
public final class PerFace {
    private PerFace() {}

    /**
     * Runs {@code task} for faces 0 … n − 1 and returns when all are done; the first exception is rethrown after
     * the others finished. Tasks must touch only their own face's memory.
     */
    public static void run(int n, IntConsumer task) {
        if (n == 1) {
            task.accept(0);
        } else if (n > 1) {
            // Each task catches its own failure, so forEach returns only when every face is done: a parallel stream
            // rethrows the first failure at once, while other faces may still write into memory the caller reuses.
            AtomicReference<Throwable> first = new AtomicReference<>();
            IntStream.range(0, n).parallel().forEach(i -> {
                try {
                    task.accept(i);
                } catch (Throwable t) {
                    if (!first.compareAndSet(null, t)) {
                        first.get().addSuppressed(t);
                    }
                }
            });
            Throwable t = first.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
