package app.deeplive.engine.channel;

/** What the engine did with a frame, as the producer learns it (dlf_result). */
public enum FrameResult {
    /** Not returned yet. */
    NONE(0),
    /** Processed in place. */
    PROCESSED(1),
    /** Left as it was (no face, paused). */
    UNCHANGED(2),
    /** Processing failed; the pixels may be partly processed. */
    FAILED(3),
    /** The frame's fields were invalid; the engine never saw it. */
    REJECTED(4),
    /** Let go unprocessed to keep up, or while stopping; the pixels are the original ones, not to be shown. */
    SKIPPED(5),
    /**
     * Looked at, but none of the faces it may show was swapped (no identity yet, no swapper, over the limits): the
     * pixels are the original ones, to be shown only where the streamer chose to show the original picture.
     */
    UNSWAPPED(6);

    private final int code;

    FrameResult(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static FrameResult of(int code) {
        for (FrameResult result : values()) {
            if (result.code == code) {
                return result;
            }
        }
        return FAILED;
    }
}
