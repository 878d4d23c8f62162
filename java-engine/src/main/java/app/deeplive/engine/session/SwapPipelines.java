package app.deeplive.engine.session;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.pipeline.FaceSwapPipeline;
import app.deeplive.engine.pipeline.SwapModels;

/**
 * The sessions' pipeline when a swapper is loaded: each session gets its own {@link FaceSwapPipeline} (its own
 * tracks and smoothing) over the one {@link SwapModels} the engine loaded. The model wrappers keep scratch buffers
 * and are not thread-safe, so sessions take turns on them frame by frame (one lock); with one OBS source — the
 * usual case — that costs nothing, with several they share the models' throughput.
 */
public final class SwapPipelines implements FramePipelineFactory, AutoCloseable {
    private final SwapModels models;
    private final String description;
    private final Object modelLock = new Object();

    /** Takes ownership of {@code models} (closed by {@link #close}). */
    public SwapPipelines(SwapModels models, String description) {
        this.models = models;
        this.description = description;
    }

    @Override
    public FramePipeline create() {
        return new SwapFramePipeline(new FaceSwapPipeline(models), modelLock);
    }

    @Override
    public String description() {
        return description;
    }

    /** Refuses an identity the swapper cannot use (an embedding of another size than its latent). */
    @Override
    public void checkIdentity(SourceFace face) {
        float[] embedding = new float[face.embeddingSize()];
        face.embedding().get(embedding);
        try {
            synchronized (modelLock) {
                models.swapper().latent(embedding);
            }
        } catch (UserFacingException | IllegalArgumentException e) {
            throw new RequestRejected(RequestRejected.Reason.MODEL_MISSING, e.getMessage()
                    + " (start the engine with the recogniser that matches the swapper)", e);
        }
    }

    @Override
    public void close() {
        synchronized (modelLock) {
            models.close();
        }
    }
}
