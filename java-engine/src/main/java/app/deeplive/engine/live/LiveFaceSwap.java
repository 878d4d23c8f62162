package app.deeplive.engine.live;

import app.deeplive.engine.onnx.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One session's live face swap as a {@link StagedPipeline}: analysis (detect every k-th frame, track between) →
 * swap (all faces in one batched run) → enhance (optional) → composite (the only write to the frame). Owns the
 * stages' buffers; the models are the caller's (sessions may share them: each pipeline only runs them from its own
 * stage threads).
 */
public final class LiveFaceSwap implements AutoCloseable {
    /**
     * @param maxFaces faces swapped per frame at most (the largest by detector order first)
     * @param schedule when to detect and when to track
     * @param queueCapacity frames waiting in front of each stage (1 or 2)
     * @param backgroundDetectionSize 0 to detect inside the analysis stage; else detect on a thread of its own, on a
     *     copy of the frame downscaled to this long side (the detector's input size), so no frame waits for it
     */
    public record Settings(int maxFaces, DetectionSchedule schedule, int queueCapacity, int backgroundDetectionSize) {
        public static final Settings DEFAULT = new Settings(8, DetectionSchedule.DEFAULT, 1, 640);

        public Settings {
            Objects.requireNonNull(schedule, "schedule");
            if (maxFaces < 1 || maxFaces > 64) {
                throw new IllegalArgumentException("max faces must be 1..64, not " + maxFaces);
            }
            if (backgroundDetectionSize < 0) {
                throw new IllegalArgumentException("background detection size must not be negative");
            }
        }
    }

    private final StagedPipeline pipeline;
    private final AnalysisStage analysis;
    private BackgroundDetector background;
    private final SwapStage swap;
    private final List<BatchedFaceModel> models = new ArrayList<>();
    private final List<FaceCrops> buffers = new ArrayList<>();

    /**
     * @param enhancer a GPEN/GFPGAN-contract model, or null for none
     * @param latent the source identity as the swapper takes it (normalise(embedding · emap)), 512 values
     */
    public LiveFaceSwap(String name, FrameIntake intake, FaceDetector detector, LoadedModel swapper,
            LoadedModel enhancer, float[] latent, Settings settings) {
        try {
            BatchedFaceModel swapModel = add(new BatchedFaceModel(swapper, SwapStage.LATENT, settings.maxFaces()));
            BatchedFaceModel enhanceModel = enhancer == null ? null
                    : add(new BatchedFaceModel(enhancer, 0, settings.maxFaces()));
            StagedPipeline.Builder b = StagedPipeline.builder(name, intake).maxFaces(settings.maxFaces())
                    .queueCapacity(settings.queueCapacity());
            FrameSlot<FaceCrops> swapped = b.slot("swapped", () -> keep(new FaceCrops(settings.maxFaces(),
                    swapModel.newOutput())));
            background = settings.backgroundDetectionSize() > 0 ? new BackgroundDetector(detector,
                    settings.backgroundDetectionSize(), settings.maxFaces(), name + "-detector") : null;
            analysis = new AnalysisStage(detector, background, settings.schedule(), settings.maxFaces());
            swap = new SwapStage(swapModel, swapped, latent);
            b.stage(StageSpec.reading("analysis", analysis)).stage(StageSpec.reading("swap", swap));
            if (enhanceModel != null) {
                FrameSlot<FaceCrops> enhanced = b.slot("enhanced", () -> keep(new FaceCrops(settings.maxFaces(),
                        enhanceModel.newOutput())));
                b.stage(StageSpec.reading("enhance",
                        new EnhanceStage(enhanceModel, swapped, swapModel.outputSize(), enhanced)));
                b.stage(StageSpec.writing("composite", new CompositeStage(enhanced, enhanceModel.outputSize(), true)));
            } else {
                b.stage(StageSpec.writing("composite", new CompositeStage(swapped, swapModel.outputSize(), false)));
            }
            pipeline = b.build();
        } catch (RuntimeException e) {
            if (background != null) {
                background.close();
            }
            releaseBuffers();
            throw e;
        }
    }

    /** Starts the pipeline's threads. */
    public LiveFaceSwap start() {
        pipeline.start();
        return this;
    }

    public StagedPipeline pipeline() {
        return pipeline;
    }

    /** A new source identity, from the next frame on. */
    public void setLatent(float[] latent) {
        swap.setLatent(latent);
    }

    /** Frames the detector ran on. */
    public long detections() {
        return analysis.detections();
    }

    /** Detections forced early because tracking was unsure or a face moved fast. */
    public long redetections() {
        return analysis.redetections();
    }

    /** Frames whose faces came from tracking alone. */
    public long trackedFrames() {
        return analysis.trackedFrames();
    }

    /** Faces swapped so far (all frames). */
    public long facesSwapped() {
        return swap.facesSwapped();
    }

    /** Whether the swapper takes all faces of a frame in one run. */
    public boolean swapperBatched() {
        return models.get(0).batched();
    }

    /** Stops the pipeline (every frame in flight goes back) and frees the stages' buffers. */
    @Override
    public void close() {
        pipeline.close();
        analysis.close();
        releaseBuffers();
    }

    /** The background detector's thread, or null when detection runs inside the analysis stage. */
    public Thread detectorThread() {
        return background == null ? null : background.thread();
    }

    /** Mean detection time in milliseconds (background detection), 0 otherwise. */
    public double detectMillis() {
        return background == null ? 0 : background.workTimes().meanNanos() / 1e6;
    }

    /** Time the background detector worked, in nanoseconds. */
    public long detectorBusyNanos() {
        return background == null ? 0 : background.busyNanos();
    }

    private void releaseBuffers() {
        synchronized (buffers) {
            buffers.forEach(FaceCrops::close);
            buffers.clear();
        }
        models.forEach(BatchedFaceModel::close);
        models.clear();
    }

    private BatchedFaceModel add(BatchedFaceModel model) {
        models.add(model);
        return model;
    }

    private FaceCrops keep(FaceCrops crops) {
        synchronized (buffers) {
            buffers.add(crops);
        }
        return crops;
    }
}
