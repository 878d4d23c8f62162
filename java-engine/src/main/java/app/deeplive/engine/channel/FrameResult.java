package app.deeplive.engine.channel;

/**
 * What the engine did with a frame, as the producer learns it (dlf_result): the one outcome type of the live path,
 * from the stage that decides it to the wire. The pipeline gives only PROCESSED, UNCHANGED, UNSWAPPED, SKIPPED and
 * FAILED; NONE and REJECTED belong to the channel.
 */
public enum FrameResult {
    /** Not returned yet. */
    NONE(0),
    /** Every stage ran; the pixels were processed in place. */
    PROCESSED(1),
    /**
     * Every stage ran and chose to leave the pixels exactly as they came: an identity is set but the frame shows no
     * face to swap, so there is no real face in it to leak.
     */
    UNCHANGED(2),
    /** A stage that writes the frame failed part-way; the pixels may be partly processed. */
    FAILED(3),
    /** The frame's fields were invalid; the engine never saw it. */
    REJECTED(4),
    /**
     * Not processed: dropped at the entry for a newer frame, shut down in flight, or a stage that only reads the
     * frame failed. The pixels are the original ones, so the producer must not show them as a swapped frame: that
     * would leak the streamer's real face whenever the engine falls behind.
     */
    SKIPPED(5),
    /**
     * Left as it came although it may show faces: nothing to swap them with (no identity yet, no swapper, a
     * passthrough) or the session refused it (over its limits). Its pixels show the streamer's real face, so the
     * producer treats it like {@link #SKIPPED} unless the streamer chose to see the original picture.
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
