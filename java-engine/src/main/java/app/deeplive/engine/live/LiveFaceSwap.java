package app.deeplive.engine.live;

import app.deeplive.engine.pipeline.FaceSwapPipeline;
import app.deeplive.engine.pipeline.FrameWork;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.track.TrackerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's face swap on the {@link StagedPipeline}: the steps of {@link FaceSwapPipeline} — the same code the
 * {@code swap} command runs frame by frame — each on a thread of its own: analysis (follow the faces by optical
 * flow, select or map; the detector runs beside it on {@link BackgroundDetections}) → swap (swapper, colour
 * correction, mouth landmarks) → composite (paste-back, the first write to the frame) → enhance (optional).
 * Consecutive frames overlap; each carries its own {@link FrameWork}. The settings are read once per frame, at
 * analysis, so a change applies from the next frame and never half-way through one. The models are the caller's
 * (each wrapper is used by one caller at a time), unless made with {@link #owning}: then the pipeline closes them.
 */
public final class LiveFaceSwap implements LivePipeline {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFaceSwap.class);

    private final BackgroundDetections detector;
    private final FaceSwapPipeline steps;
    private final StagedPipeline pipeline;
    private final List<FrameWork> works = new ArrayList<>();
    private final SwapModels ownModels; // closed with this pipeline, or null: the caller's
    private volatile long detections;
    private volatile long trackedFrames;
    private volatile long recognitions;
    private volatile long facesSwapped;
    private volatile long framesSwapped; // written with facesSwapped, by the swap stage: their ratio is exact

    /**
     * @param settings this stream's current settings snapshot, read once per frame
     * @param queueCapacity frames waiting in front of each stage (1 or 2)
     */
    public LiveFaceSwap(String name, FrameIntake intake, SwapModels models, Supplier<SwapSettings> settings,
            int queueCapacity) {
        this(name, intake, models, settings, queueCapacity, StreamObserver.NONE);
    }

    /** @param observer a session's limits and figures */
    public LiveFaceSwap(String name, FrameIntake intake, SwapModels models, Supplier<SwapSettings> settings,
            int queueCapacity, StreamObserver observer) {
        this(name, intake, models, settings, queueCapacity, observer, null);
    }

    /**
     * A pipeline that owns {@code models} (e.g. a session's own wrappers from {@link SwapModels#forAnotherCaller()}):
     * they are closed after its threads stopped, or at once if it cannot be made.
     */
    public static LiveFaceSwap owning(SwapModels models, String name, FrameIntake intake, Supplier<SwapSettings> settings,
            int queueCapacity, StreamObserver observer) {
        try {
            return new LiveFaceSwap(name, intake, models, settings, queueCapacity, observer, models);
        } catch (RuntimeException | Error e) {
            models.close();
            throw e;
        }
    }

    private LiveFaceSwap(String name, FrameIntake intake, SwapModels models, Supplier<SwapSettings> settings,
            int queueCapacity, StreamObserver observer, SwapModels ownModels) {
        this.ownModels = ownModels;
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(observer, "observer");
        this.detector = new BackgroundDetections(name, models.detector());
        this.steps = new FaceSwapPipeline(models, TrackerSettings.DEFAULT, detector);
        StagedPipeline.Builder b = StagedPipeline.builder(name, intake).queueCapacity(queueCapacity)
                .onCompleted(observer::frameDone).onEnd(observer::ended);
        FrameSlot<FrameWork> work = b.slot("work", this::newWork);
        b.stage(StageSpec.reading("analysis", frame -> {
            if (!observer.admits(frame.view())) {
                frame.leaveUnswapped(); // refused: back as it came, faces and all
                return;
            }
            FrameWork w = frame.get(work);
            SwapSettings now = settings.get();
            boolean faces = steps.analyse(frame.view(), now, frame.timestampNanos(), w);
            observer.stage("detect", w.detectNanos());
            observer.stage("recognise", w.recogniseNanos());
            recognitions = recognitions + w.recognised();
            if (w.detectionRan()) {
                detections = detections + 1;
            } else if (faces) {
                trackedFrames = trackedFrames + 1;
            }
            if (!now.swapsAnything()) {
                frame.leaveUnswapped(); // no identity (yet): whatever faces it shows are the streamer's own
            } else if (!faces) {
                frame.skipRemainingStages(); // no face to swap: UNCHANGED, so nothing to leak
            }
        }));
        b.stage(StageSpec.reading("swap", frame -> {
            FrameWork w = frame.get(work);
            steps.swap(frame.view(), w);
            facesSwapped = facesSwapped + w.faces();
            framesSwapped = framesSwapped + 1;
            observer.stage("swap", w.swapNanos());
            observer.stage("landmarks", w.landmarkNanos());
        }));
        b.stage(StageSpec.writing("composite", frame -> {
            FrameWork w = frame.get(work);
            steps.composite(frame.view(), w);
            observer.stage("blend", w.blendNanos());
        }));
        b.stage(StageSpec.writing("enhance", frame -> {
            FrameWork w = frame.get(work);
            steps.enhance(frame.view(), w);
            observer.stage("enhance", w.enhanceNanos());
        }));
        this.pipeline = b.build();
    }

    /** Starts the pipeline's threads. */
    @Override
    public LiveFaceSwap start() {
        pipeline.start();
        return this;
    }

    @Override
    public StagedPipeline pipeline() {
        return pipeline;
    }

    /** Time the detector thread spent on this stream's frames. */
    public long detectorBusyNanos() {
        return detector.busyNanos();
    }

    /**
     * Rounds the detector thread finished (a frame with nothing to follow is detected on the analysis thread
     * instead and is not counted here).
     */
    public long detectorRuns() {
        return detector.rounds();
    }

    /** Detection rounds taken into the tracks. */
    public long detections() {
        return detections;
    }

    /** Frames with faces that came from the tracks alone. */
    public long trackedFrames() {
        return trackedFrames;
    }

    /** Faces recognised for face mapping so far (all frames). */
    public long recognitions() {
        return recognitions;
    }

    /** Frames that reached the swap step so far (all frames). */
    public long framesSwapped() {
        return framesSwapped;
    }

    /** Faces swapped so far (all frames). */
    public long facesSwapped() {
        return facesSwapped;
    }

    /**
     * Stops the pipeline (every frame in flight goes back) and frees the steps' working images. If a stage thread
     * is stuck (it did not stop within the pipeline's join time), nothing it may still be using is freed: better
     * memory left to the garbage collector than a native crash.
     */
    @Override
    public void close() {
        pipeline.close();
        if (!pipeline.stopped()) {
            LOG.error("{}: a stage thread did not stop; its working memory is not freed", pipeline.name());
            return;
        }
        synchronized (works) {
            works.forEach(FrameWork::close);
            works.clear();
        }
        steps.close();
        if (ownModels != null) {
            ownModels.close();
        }
    }

    private FrameWork newWork() {
        FrameWork w = new FrameWork();
        synchronized (works) {
            works.add(w);
        }
        return w;
    }
}
