package app.deeplive.engine.live;

/**
 * The one stage of a pipeline that swaps nothing ({@code attach}, {@code bench transport}, a session without a
 * swapper): every frame goes back as it came, marked {@link FrameOutcome#UNSWAPPED}. Not UNCHANGED: nobody looked
 * for faces, so the frame may show the streamer's real face, and the producer must never show it where only swapped
 * frames belong ("last swapped" or "black" in OBS).
 */
public final class Passthrough {
    private Passthrough() {}

    /** A read-only stage that leaves every frame unswapped. */
    public static StageSpec stage() {
        return StageSpec.reading("passthrough", LiveFrame::leaveUnswapped);
    }
}
