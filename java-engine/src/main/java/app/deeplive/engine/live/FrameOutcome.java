package app.deeplive.engine.live;

/** How a frame goes back to its producer. Mirrors the frame channel's results. */
public enum FrameOutcome {
    /** Every stage ran; the pixels were processed in place. */
    PROCESSED,
    /** Every stage ran and chose to leave the pixels exactly as they came (no face to swap). */
    UNCHANGED,
    /**
     * Left as it came although it may show faces: nothing to swap them with (no identity yet) or the session
     * refused it (over its limits). Its pixels show the streamer's real face, so the producer must treat it like
     * {@link #SKIPPED} unless the streamer chose to see the original picture.
     */
    UNSWAPPED,
    /** Not processed: dropped at the entry for a newer frame, shut down in flight, or a stage that only reads the
     * frame failed. The pixels are the original ones, so the producer must not show them as a swapped frame — that
     * would leak the streamer's real face whenever the engine falls behind. */
    SKIPPED,
    /** A stage that writes the frame failed part-way; the pixels may be partly processed. */
    FAILED
}
