package app.deeplive.engine.session;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.live.FrameIntake;
import app.deeplive.engine.live.LiveFaceSwap;
import app.deeplive.engine.live.LivePipeline;
import app.deeplive.engine.live.StreamObserver;
import app.deeplive.engine.models.FetchState;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.pipeline.FaceSwapPipeline;
import app.deeplive.engine.pipeline.ModelLoader;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The sessions' pipeline when a swapper is loaded: each session gets its own {@link FaceSwapPipeline} (its own
 * tracks and smoothing) over model wrappers of its own ({@link SwapModels#forAnotherCaller()}): the ONNX sessions the
 * engine loaded once are shared, the wrappers' scratch buffers are the session's, so sessions run the same model at
 * the same time instead of taking turns; the wrappers close with the session.
 */
public final class SwapPipelines implements SessionPipelines, AutoCloseable {
    private static final String LANDMARKS = "2d106det";

    private final SwapModels models;
    private final String description;
    private final ModelsOnDemand onDemand;

    /** Takes ownership of {@code models} (closed by {@link #close}); a missing optional model stays missing. */
    public SwapPipelines(SwapModels models, String description) {
        this(models, description, ModelsOnDemand.NONE);
    }

    /**
     * Takes ownership of {@code models}; optional models the sessions' options ask for are fetched through
     * {@code onDemand}, which adds them to {@code models} once loaded.
     */
    public SwapPipelines(SwapModels models, String description, ModelsOnDemand onDemand) {
        this.models = models;
        this.description = description;
        this.onDemand = onDemand;
    }

    /**
     * The session's steps on a staged runner, over the session's own wrappers (closed with the pipeline). Its
     * threads use each wrapper one at a time (the steps lock the wrapper they call, uncontended by other sessions).
     */
    @Override
    public LivePipeline create(String name, FrameIntake intake, Supplier<SessionSettings> settings,
            StreamObserver observer) {
        return LiveFaceSwap.owning(models.forAnotherCaller(), name, intake, () -> settings.get().options(), 1, observer);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void request(SwapSettings options) {
        missing(options).forEach(onDemand::request);
    }

    @Override
    public List<FetchState> downloads(SwapSettings options) {
        return missing(options).stream().flatMap(m -> onDemand.state(m).stream()).filter(FetchState::running).toList();
    }

    @Override
    public List<String> unmet(SwapSettings options) {
        List<String> unmet = new ArrayList<>(2);
        String chosen = options.swapper();
        if (chosen != null && models.swapper(chosen) == null) {
            String meanwhile = "faces are swapped with the engine's own swapper meanwhile";
            unmet.add(onDemand.refusal(chosen).map(why -> why + "; faces are swapped with the engine's own swapper "
                    + "instead").orElseGet(() -> unmet(chosen,
                    meanwhile, chosen + " is not loaded, so " + meanwhile.replace(" meanwhile", "") + ": get it with `"
                            + EngineCommand.line("models fetch " + chosen) + "` and choose it again")));
        }
        EnhancerKind enhancer = options.enhancer();
        if (enhancer != null && models.enhancer(enhancer) == null) {
            unmet.add(unmet(enhancer.modelName(), "faces are not enhanced", enhancer.modelName()
                    + " is not loaded, so faces are not enhanced: get it with `"
                    + EngineCommand.line("models fetch " + enhancer.modelName()) + "` and restart the engine"));
        }
        if (options.blend().occlusionMask() && models.occluder() == null) {
            String meanwhile = "hands and objects in front of the face are swapped over";
            unmet.add(unmet(ModelLoader.OCCLUDER_MODEL, meanwhile, "the occlusion mask needs an XSeg model, which is "
                    + "not loaded, so " + meanwhile + ": get it with `"
                    + EngineCommand.line("models fetch " + ModelLoader.OCCLUDER_MODEL) + "`, or start the engine with `"
                    + EngineCommand.line("serve --occluder FILE") + "`"));
        }
        if (options.blend().mouthMask() > 0 && models.landmarks() == null) {
            unmet.add(unmet(LANDMARKS, "the mouth is swapped too", "the mouth mask needs 2d106det, which is not "
                    + "loaded, so the mouth is swapped too: get it with `" + EngineCommand.line("models fetch 2d106det")
                    + "` and restart the engine"));
        }
        return unmet;
    }

    /** The fetch in flight ("downloading X: 41 %"), its failure and fix, else {@code otherwise}. */
    private String unmet(String model, String meanwhile, String otherwise) {
        return onDemand.state(model).map(s -> s.running() ? s.line() : meanwhile + ": " + s.line()).orElse(otherwise);
    }

    /** The manifest names of the optional models {@code options} ask for that are not loaded. */
    private List<String> missing(SwapSettings options) {
        List<String> missing = new ArrayList<>(2);
        String chosen = options.swapper();
        if (chosen != null && models.swapper(chosen) == null && onDemand.refusal(chosen).isEmpty()) {
            missing.add(chosen);
        }
        EnhancerKind enhancer = options.enhancer();
        if (enhancer != null && models.enhancer(enhancer) == null) {
            missing.add(enhancer.modelName());
        }
        if (options.blend().mouthMask() > 0 && models.landmarks() == null) {
            missing.add(LANDMARKS);
        }
        if (options.blend().occlusionMask() && models.occluder() == null) {
            missing.add(ModelLoader.OCCLUDER_MODEL);
        }
        return missing;
    }

    @Override
    public List<String> swapModels() {
        return onDemand.swapModels();
    }

    @Override
    public String provider() {
        return OrtSessions.displayName(models.swapper().provider());
    }

    /** Refuses an identity the swapper cannot use (an embedding of another size than its latent). */
    @Override
    public void checkIdentity(Identity face) {
        try {
            models.swapper().latent(face.embedding()); // reads only the swapper's fixed emap: no need to wait for a frame
        } catch (UserFacingException | IllegalArgumentException e) {
            throw new RequestRejected(RequestRejected.Reason.MODEL_MISSING, e.getMessage()
                    + " (start the engine with the recogniser that matches the swapper)", e);
        }
    }

    @Override
    public void close() {
        // Sessions close their own wrappers; a session still running keeps the loaded models open until it closes
        // them. The originals may still be in use by the source-face finder: SwapModels.close waits for a call in
        // flight on each (a wrapper's calls and its close take turns).
        models.close();
    }
}
