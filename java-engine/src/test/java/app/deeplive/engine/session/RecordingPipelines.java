package app.deeplive.engine.session;

import app.deeplive.engine.live.FrameIntake;
import app.deeplive.engine.live.LivePipeline;
import app.deeplive.engine.live.StageSpec;
import app.deeplive.engine.live.StagedPipeline;
import app.deeplive.engine.live.StreamObserver;
import java.util.function.Supplier;

/**
 * Sessions on the real staged runner with one stage that shows, on the frame itself, which identity processed it:
 * the first embedding value of the source face, times 100, written into the first pixel's blue channel. Like the
 * face swap it refuses frames over the session's limits and leaves frames unswapped while there is no identity, so
 * the control tests see the outcomes a real session gives without loading a model.
 */
public final class RecordingPipelines implements SessionPipelines {
    public static final RecordingPipelines FACTORY = new RecordingPipelines();

    private RecordingPipelines() {}

    @Override
    public LivePipeline create(String name, FrameIntake intake, Supplier<SessionSettings> settings,
            StreamObserver observer) {
        StagedPipeline pipeline = StagedPipeline.builder(name, intake)
                .onCompleted(observer::frameDone).onEnd(observer::ended)
                .stage(StageSpec.writing("mark", frame -> {
                    long start = System.nanoTime();
                    SessionSettings now = settings.get();
                    if (!observer.admits(frame.view()) || now.sourceFace() == null) {
                        frame.leaveUnswapped();
                    } else {
                        frame.view().pixels().put(0, (byte) Math.round(now.sourceFace().embedding().get(0) * 100));
                    }
                    observer.stage("mark", System.nanoTime() - start);
                }))
                .build();
        return () -> pipeline;
    }

    @Override
    public String description() {
        return "recording (test)";
    }

    /** The bundled manifest's swap models, as an engine serving with it offers them. */
    @Override
    public java.util.List<String> swapModels() {
        return app.deeplive.engine.models.ModelFiles.manifest().namesOf(app.deeplive.engine.models.Stage.SWAP);
    }
}
