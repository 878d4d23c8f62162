package app.deeplive.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs two callers at the same time, each many rounds, released together round by round so their runs overlap. Give
 * them different inputs in a round ({@code (caller + round) % 2}): on the same input, two callers sharing scratch
 * buffers would write the same values and the sharing would go unseen.
 */
public final class TwoThreads {
    private TwoThreads() {}

    /**
     * @param caller caller 0 or 1's round: what it computed
     * @return each caller's results, one per round
     */
    public static <T> List<List<T>> run(int rounds, IntFunction<RoundTask<T>> caller) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<T>>> futures = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                RoundTask<T> task = caller.apply(c);
                futures.add(pool.submit(() -> {
                    List<T> out = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        together.await(30, TimeUnit.SECONDS);
                        out.add(task.round(r));
                    }
                    return out;
                }));
            }
            List<List<T>> results = new ArrayList<>();
            for (Future<List<T>> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                fail("a caller did not stop");
            }
        }
    }

    /** One round of one caller. */
    @FunctionalInterface
    public interface RoundTask<T> {
        T round(int round) throws Exception;
    }
}
