package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live session's frames through its stages (analysis → swap → enhance → composite), each stage on a thread of
 * its own, connected by small bounded hand-offs, so frame N+1 is analysed while frame N is swapped. Frames leave in
 * the order they came. When the input outpaces the pipeline, the entry keeps only the newest waiting frame and hands
 * older ones straight back unchanged (latest frame wins; they are counted as dropped), so latency stays bounded by
 * the pipeline's depth instead of growing with a queue.
 *
 * <p>Admission: the entry lets at most ⌈0.8 · Σ stage times / slowest stage time⌉ frames in at once (from moving
 * averages of the stages' work times; all stages' worth until measured). That keeps the slowest stage busy at least
 * 90 % of the time; more frames would only queue in front of it and add latency (Little's law: latency = frames
 * inside × the slowest stage's time), while a frame held at the entry can still be replaced by a newer one. For the
 * same reason a frame is let in just in time ({@link JustInTime}): when the slowest stage will be free by the time
 * the new frame has been through the stages before it. Until then the frame waits at the entry, where a newer one
 * replaces it, rather than in front of the slowest stage, where it would only age.
 *
 * <p>Work items ({@link LiveFrame}) come from a fixed pool; the hand-offs, statistics and the entry allocate nothing
 * per frame. A stage that throws marks its frame failed: later stages skip it and it goes back as it is; the
 * pipeline carries on. {@link #close()} stops taking frames and hands every frame still in flight back exactly once
 * (frames not yet through all stages skip the rest and go back unchanged).
 */
public final class StagedPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StagedPipeline.class);
    /** How long a waiting thread sleeps before it looks at the stop flag again. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** While the pipeline is full, how often the entry looks for a newer frame to replace the one it holds. */
    private static final long REPLACE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long JOIN_MILLIS = 10_000;
    /** The share of time the slowest stage should be kept busy; the rest of its capacity buys lower latency. */
    private static final double UTILISATION = 0.8;

    private final String name;
    private final FrameIntake intake;
    private final List<StageSpec> specs;
    private final StageStats[] stageStats;
    private final List<Handoff<LiveFrame>> queues = new ArrayList<>(); // queues[i] feeds stage i
    private final Handoff<LiveFrame> free;
    private final List<Thread> threads = new ArrayList<>();
    private final boolean[] stageDone;
    private final Consumer<String> onEnd;
    private final CompletionListener onCompleted;
    private final int poolSize;

    private volatile boolean stopping;
    private volatile boolean entryDone;
    private volatile boolean started;
    private volatile String endReason;
    private volatile Thread entryThread;
    private final boolean adaptiveAdmission;
    private volatile long admitted;
    private volatile long exited;
    private volatile int admissionLimit;
    private volatile int resetEpoch;
    private volatile long resetAt;

    // Entry thread's figures.
    private volatile long dropped;
    private volatile long abandonedAtEntry;
    // Exit (last stage thread) figures.
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile long completed;
    private volatile long failed;
    private volatile long abandoned;

    private StagedPipeline(Builder b) {
        this.name = b.name;
        this.intake = b.intake;
        this.specs = List.copyOf(b.stages);
        this.onEnd = b.onEnd;
        this.onCompleted = b.onCompleted;
        this.adaptiveAdmission = b.adaptiveAdmission;
        int n = specs.size();
        stageStats = new StageStats[n];
        for (int i = 0; i < n; i++) {
            stageStats[i] = new StageStats(specs.get(i).name());
            queues.add(new Handoff<>(b.queueCapacity));
        }
        stageDone = new boolean[n];
        // Enough items for every queue to be full, every stage busy, one held at the entry and one being taken.
        poolSize = n * b.queueCapacity + n + 2;
        admissionLimit = adaptiveAdmission ? n : poolSize;
        free = new Handoff<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            LiveFrame item = new LiveFrame(b.slots.size());
            for (int s = 0; s < b.slots.size(); s++) {
                item.install(s, b.slots.get(s));
            }
            free.offer(item);
        }
        threads.add(new Thread(this::entryLoop, name + "-entry"));
        for (int i = 0; i < n; i++) {
            int index = i;
            threads.add(new Thread(() -> stageLoop(index), name + "-" + specs.get(i).name()));
        }
        threads.forEach(t -> t.setDaemon(true));
    }

    public static Builder builder(String name, FrameIntake intake) {
        return new Builder(name, intake);
    }

    /** Starts the threads; frames flow from now on. */
    public synchronized StagedPipeline start() {
        if (!started) {
            started = true;
            resetAt = System.nanoTime();
            threads.forEach(Thread::start);
        }
        return this;
    }

    public String name() {
        return name;
    }

    /** Whether every thread of the pipeline has ended (after {@link #close()}; false if one is stuck). */
    public boolean stopped() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** Work items in the pool: the most frames the pipeline ever holds (the frame channel needs more slots). */
    public int maxFramesInFlight() {
        return poolSize;
    }

    /** Frames inside the pipeline right now (admitted, not yet handed back). */
    public int framesInFlight() {
        return (int) Math.max(0, admitted - exited);
    }

    /** How many frames the entry lets in at once right now. */
    public int admissionLimit() {
        return admissionLimit;
    }

    public List<String> stageNames() {
        return specs.stream().map(StageSpec::name).toList();
    }

    /** The entry thread and then one thread per stage, for allocation accounting. */
    public List<Thread> threads() {
        return List.copyOf(threads);
    }

    /** Whether the pipeline still runs (not closed, intake not ended). */
    public boolean isRunning() {
        return started && !stopping;
    }

    /** Why the pipeline stopped, or null while it runs. */
    public String endReason() {
        return endReason;
    }

    /**
     * Starts the figures afresh (e.g. after a warm-up). Each thread resets its own figures when it next looks, so
     * a reset is exact within a frame or two.
     */
    public void resetStats() {
        resetAt = System.nanoTime();
        resetEpoch++;
    }

    public PipelineStats stats() {
        List<StageStats.Snapshot> stages = new ArrayList<>(stageStats.length);
        for (StageStats s : stageStats) {
            stages.add(s.snapshot());
        }
        return new PipelineStats(System.nanoTime() - resetAt, completed, dropped, failed,
                abandoned + abandonedAtEntry, latency.percentileNanos(50) / 1e6, latency.percentileNanos(99) / 1e6,
                stages);
    }

    /** Stops taking frames, hands back every frame in flight exactly once and waits for the threads to end. */
    @Override
    public void close() {
        stop("closed");
        if (!started) {
            return;
        }
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(JOIN_MILLIS);
                if (t.isAlive()) {
                    LOG.error("{}: thread {} did not stop within {} ms; its frame is still lent", name, t.getName(),
                            JOIN_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stop(String reason) {
        if (!stopping) {
            synchronized (this) {
                if (stopping) {
                    return;
                }
                endReason = reason;
                stopping = true;
            }
            if (onEnd != null) {
                try {
                    onEnd.accept(reason);
                } catch (RuntimeException e) {
                    LOG.warn("{}: end listener failed: {}", name, e.toString());
                }
            }
        }
    }

    // ---- entry ----

    private void entryLoop() {
        entryThread = Thread.currentThread();
        Handoff<LiveFrame> first = queues.get(0);
        LiveFrame spare = null;
        LiveFrame pending = null;
        int epoch = resetEpoch;
        try {
            while (!stopping) {
                if (epoch != resetEpoch) {
                    epoch = resetEpoch;
                    dropped = 0;
                    abandonedAtEntry = 0;
                }
                if (pending != null) {
                    if (admitted - exited < admit() && slowestStageDueSoon()) {
                        if (first.put(pending, REPLACE_SLICE_NANOS)) {
                            admitted = admitted + 1;
                            pending = null;
                            continue;
                        }
                    } else {
                        LockSupport.parkNanos(this, REPLACE_SLICE_NANOS); // the exit unparks us
                    }
                    // The pipeline is full: if a newer frame has come, it replaces the one held here.
                    LiveFrame next = spare != null ? spare : free.poll();
                    spare = null;
                    if (next == null) {
                        continue;
                    }
                    if (intake.acquire(next, 0)) {
                        next.entered(System.nanoTime());
                        dropped = dropped + 1;
                        handBack(pending, FrameResult.SKIPPED);
                        spare = pending;
                        pending = next;
                    } else {
                        spare = next;
                    }
                    continue;
                }
                LiveFrame item = spare != null ? spare : free.take(POLL_NANOS);
                spare = null;
                if (item == null) {
                    continue;
                }
                if (intake.acquire(item, POLL_NANOS)) {
                    item.entered(System.nanoTime());
                    pending = item;
                } else {
                    spare = item;
                }
            }
        } catch (IntakeClosedException e) {
            stop("frame source ended: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.error("{}: entry stopped by an unexpected error", name, e);
            stop("internal error: " + e);
        } finally {
            if (pending != null) {
                abandonedAtEntry = abandonedAtEntry + 1;
                handBack(pending, FrameResult.SKIPPED);
            }
            entryDone = true;
        }
    }

    /** The admission limit, refreshed from the stages' recent work times. */
    private int admit() {
        if (!adaptiveAdmission) {
            return poolSize;
        }
        double sum = 0;
        double slowest = 0;
        for (StageStats s : stageStats) {
            double t = s.recentNanos();
            if (t == 0) {
                return admissionLimit; // not all measured yet
            }
            sum += t;
            slowest = Math.max(slowest, t);
        }
        int limit = (int) Math.max(1, Math.min(specs.size(), Math.ceil(UTILISATION * sum / slowest - 1e-9)));
        admissionLimit = limit;
        return limit;
    }

    /** {@link JustInTime#admits} on the stages' recent figures. */
    private boolean slowestStageDueSoon() {
        if (!adaptiveAdmission) {
            return true;
        }
        int slowest = 0;
        for (int i = 1; i < stageStats.length; i++) {
            if (stageStats[i].recentNanos() > stageStats[slowest].recentNanos()) {
                slowest = i;
            }
        }
        StageStats bottleneck = stageStats[slowest];
        double upstream = 0;
        for (int i = 0; i < slowest; i++) {
            upstream += stageStats[i].recentNanos();
        }
        long since = bottleneck.runningSince();
        long runningFor = since == 0 ? -1 : System.nanoTime() - since;
        return JustInTime.admits(bottleneck.recentNanos(), upstream, admitted - bottleneck.taken(), runningFor);
    }

    // ---- stages and exit ----

    private void stageLoop(int index) {
        StageSpec spec = specs.get(index);
        StageStats stats = stageStats[index];
        Handoff<LiveFrame> in = queues.get(index);
        boolean last = index == specs.size() - 1;
        Handoff<LiveFrame> out = last ? null : queues.get(index + 1);
        int epoch = resetEpoch;
        try {
            while (true) {
                if (epoch != resetEpoch) {
                    epoch = resetEpoch;
                    stats.reset();
                    if (last) {
                        resetExitFigures();
                    }
                }
                LiveFrame frame = in.take(POLL_NANOS);
                if (frame == null) {
                    if (upstreamDone(index) && in.size() == 0) {
                        return;
                    }
                    continue;
                }
                stats.took();
                if (!frame.skipsRemainingStages()) {
                    if (stopping) {
                        frame.abandon(); // shutting down: the rest is skipped, the frame goes back as it is
                    } else {
                        run(spec, stats, frame);
                    }
                }
                if (last) {
                    exit(frame);
                } else {
                    while (!out.put(frame, POLL_NANOS)) {
                        // The next stage is busy; it always drains, also while stopping.
                    }
                }
            }
        } finally {
            stageDone[index] = true; // published by the volatile reads of the next stage's loop (entryDone/queues)
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private boolean upstreamDone(int index) {
        if (index == 0) {
            return entryDone;
        }
        synchronized (this) {
            return stageDone[index - 1];
        }
    }

    private void run(StageSpec spec, StageStats stats, LiveFrame frame) {
        long start = System.nanoTime();
        stats.started(start);
        try {
            spec.stage().process(frame);
        } catch (Throwable e) { // an Error too: a dead stage thread would keep its frame and freeze the session
            frame.fail(spec.writesFrame());
            stats.failed();
            if (stats.failures() <= 3) {
                LOG.warn("{}: stage {} failed on frame {}: {}", name, spec.name(), frame.sequence(), e.toString());
            }
        }
        stats.worked(System.nanoTime() - start);
        stats.stopped();
    }

    private void exit(LiveFrame frame) {
        FrameResult outcome = frame.outcome();
        // Figures first, so whoever sees the frame back also sees it counted.
        if (frame.failed()) {
            failed = failed + 1;
        } else if (frame.abandoned()) {
            abandoned = abandoned + 1;
        } else {
            completed = completed + 1;
            long now = System.nanoTime();
            latency.record(now - frame.enteredNanos());
            if (onCompleted != null) {
                onCompleted.completed(now, now - frame.enteredNanos());
            }
        }
        exited = exited + 1; // also counted before it is seen back: queue_depth never includes a returned frame
        handBack(frame, outcome);
        free.offer(frame);
        Thread entry = entryThread;
        if (entry != null) {
            LockSupport.unpark(entry);
        }
    }

    private void resetExitFigures() {
        latency.reset();
        completed = 0;
        failed = 0;
        abandoned = 0;
    }

    /** Gives a frame back to the intake exactly once; a failing intake (channel gone) is logged, not thrown. */
    private void handBack(LiveFrame frame, FrameResult outcome) {
        if (!frame.isLent()) {
            throw new IllegalStateException("frame " + frame.sequence() + " handed back twice");
        }
        try {
            intake.complete(frame, outcome);
        } catch (RuntimeException e) {
            LOG.warn("{}: handing back frame {} failed: {}", name, frame.sequence(), e.toString());
        } finally {
            frame.returned();
        }
    }

    /** Told of each frame that leaves done. */
    @FunctionalInterface
    public interface CompletionListener {
        /** @param nowNanos {@link System#nanoTime()} as it leaves; @param latencyNanos since it entered */
        void completed(long nowNanos, long latencyNanos);
    }

    /** Builds a pipeline: declare per-frame slots, then the stages in order. */
    public static final class Builder {
        private final String name;
        private final FrameIntake intake;
        private final List<StageSpec> stages = new ArrayList<>();
        private final List<Supplier<?>> slots = new ArrayList<>();
        private int queueCapacity = 1;
        private Consumer<String> onEnd;
        private CompletionListener onCompleted;
        private boolean adaptiveAdmission = true;

        private Builder(String name, FrameIntake intake) {
            this.name = Objects.requireNonNull(name, "name");
            this.intake = Objects.requireNonNull(intake, "intake");
        }

        /** Frames waiting in front of each stage (1 or 2; default 1). */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1 || capacity > 2) {
                throw new IllegalArgumentException("queue capacity must be 1 or 2, not " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Whether the entry limits the frames inside to what keeps the slowest stage busy (default) or lets in as
         * many as the queues hold.
         */
        public Builder adaptiveAdmission(boolean adaptive) {
            this.adaptiveAdmission = adaptive;
            return this;
        }

        /** Called once, from the thread that noticed, when the pipeline stops (closed or intake ended). */
        public Builder onEnd(Consumer<String> listener) {
            this.onEnd = listener;
            return this;
        }

        /**
         * Called from the exit thread for each frame that passed every stage (or finished early), as it leaves; it
         * must be quick.
         */
        public Builder onCompleted(CompletionListener listener) {
            this.onCompleted = listener;
            return this;
        }

        /** A per-frame buffer of a stage: {@code factory} runs once per work item, now. */
        public <T> FrameSlot<T> slot(String slotName, Supplier<T> factory) {
            slots.add(Objects.requireNonNull(factory, "factory"));
            return new FrameSlot<>(slotName, slots.size() - 1);
        }

        public Builder stage(StageSpec spec) {
            stages.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        public StagedPipeline build() {
            if (stages.isEmpty()) {
                throw new IllegalStateException("a pipeline needs at least one stage");
            }
            return new StagedPipeline(this);
        }
    }
}
