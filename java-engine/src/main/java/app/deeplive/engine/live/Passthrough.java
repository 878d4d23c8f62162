package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.image.FrameView;
import java.util.function.Consumer;

/**
 * The one stage of a pipeline that swaps nothing ({@code attach}, {@code bench transport}, a session without a
 * swapper): every frame goes back as it came, marked {@link FrameResult#UNSWAPPED}. Not UNCHANGED: nobody looked
 * for faces, so the frame may show the streamer's real face, and the producer must never show it where only swapped
 * frames belong ("last swapped" or "black" in OBS).
 */
public final class Passthrough {
    private Passthrough() {}

    /** A read-only stage that leaves every frame unswapped. */
    public static StageSpec stage() {
        return stage(frame -> {});
    }

    /**
     * A session's pipeline without a swapper: the one passthrough stage, telling {@code observer} about each frame
     * (a frame over the session's limits is counted as refused; it goes back unswapped like every other).
     */
    public static LivePipeline pipeline(String name, FrameIntake intake, StreamObserver observer) {
        StagedPipeline pipeline = StagedPipeline.builder(name, intake)
                .onCompleted(observer::frameDone).onEnd(observer::ended)
                .stage(stage(observer::admits)) // only counted: every frame goes back as it came anyway
                .build();
        return () -> pipeline;
    }

    private static StageSpec stage(Consumer<FrameView> seen) {
        return StageSpec.reading("passthrough", frame -> {
            seen.accept(frame.view());
            frame.leaveUnswapped();
        });
    }
}
