package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserFacingException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches models while the engine serves: each through a {@link ModelFetcher} (so verified against its SHA-256 and
 * placed atomically, like {@code models fetch}) on a thread of its own, at most one per model at a time. Once the
 * file is verified, {@code install} runs on that thread (the caller loads the model there). How far each got is
 * {@link #state}; a failure stays as its one-line state, with no retry, until {@link #start} is called again.
 */
public final class BackgroundFetches {
    private static final Logger log = LoggerFactory.getLogger(BackgroundFetches.class);

    /** Makes the model usable once its file is verified in place; a one-line UserFacingException if it cannot. */
    @FunctionalInterface
    public interface Install {
        void install(ModelEntry model);
    }

    private final Function<Progress, ModelFetcher> fetchers;
    private final Map<String, FetchState> states = new ConcurrentHashMap<>();

    /** @param fetchers a fetcher reporting to the given progress (each fetch gets its own) */
    public BackgroundFetches(Function<Progress, ModelFetcher> fetchers) {
        this.fetchers = fetchers;
    }

    /** Fetches into {@code files}'s model directory from its manifest's mirrors (an HTTP client per fetch). */
    public static BackgroundFetches into(ModelFiles files) {
        PrintWriter out = new PrintWriter(new LogWriter(log), true);
        return new BackgroundFetches(progress -> new ModelFetcher(files.manifestInUse(), files.directory().root(),
                new Downloader(Downloader.defaultClient(), FileSink.FILES, DiskSpace.FILE_STORE, progress),
                new ZipMember(FileSink.FILES, progress),
                DiskSpace.FILE_STORE, Clock.systemUTC(), out, out));
    }

    /**
     * Starts fetching {@code model} unless a fetch of it is running; a failed one is tried again. Never blocks.
     *
     * @return whether a fetch started
     */
    public boolean start(ModelEntry model, Install install) {
        boolean[] started = {false};
        states.compute(model.name(), (name, now) -> {
            if (now != null && now.running()) {
                return now;
            }
            started[0] = true;
            return FetchState.started(name, model.size());
        });
        if (started[0]) {
            Thread t = new Thread(() -> run(model, install), "fetch-" + model.name());
            t.setDaemon(true); // a download in flight must not keep a stopping engine alive
            t.start();
        }
        return started[0];
    }

    /** Where the fetch of {@code modelName} stands: empty when none ran, or the last one succeeded. */
    public Optional<FetchState> state(String modelName) {
        return Optional.ofNullable(states.get(modelName));
    }

    private void run(ModelEntry model, Install install) {
        String name = model.name();
        log.info("fetching {} in the background: a session asked for it", name);
        try {
            fetchers.apply(new Reporting(name)).fetch(List.of(model));
        } catch (UserFacingException e) {
            fail(model, e.getMessage(), "could not be downloaded");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(model, "interrupted", "could not be downloaded");
            return;
        } catch (RuntimeException e) {
            fail(model, e.toString(), "could not be downloaded");
            return;
        }
        try {
            install.install(model);
            log.info("{} fetched and loaded: sessions that asked for it use it from their next frame", name);
            states.remove(name); // only once usable, so a caller never sees "no state" before the model is there
        } catch (UserFacingException | IllegalStateException | IllegalArgumentException e) {
            fail(model, e.getMessage(), "was downloaded but does not load");
        }
    }

    private void fail(ModelEntry model, String detail, String what) {
        String fix = EngineCommand.line("models fetch " + model.name());
        log.warn("{} {}: {}", model.name(), what, detail);
        states.put(model.name(), FetchState.failed(model.name(), model.name() + " is missing: it " + what
                + " (the engine log says why); get it with `" + fix + "`, then choose it again"));
    }

    /** Copies a fetcher's progress into the model's state: bytes of the file in flight, of its size. */
    private final class Reporting implements Progress {
        private final String model;

        Reporting(String model) {
            this.model = model;
        }

        @Override
        public Bar start(String label, long total, long initial) {
            long[] bytes = {initial};
            states.computeIfPresent(model, (k, s) -> new FetchState(model, initial, total, null));
            return new Bar() {
                @Override
                public void step(long n) {
                    bytes[0] += n;
                    long now = bytes[0];
                    states.computeIfPresent(model, (k, s) -> s.running() ? new FetchState(model, now, total, null) : s);
                }

                @Override
                public void close() {}
            };
        }
    }
}
