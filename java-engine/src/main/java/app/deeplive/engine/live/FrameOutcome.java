package app.deeplive.engine.live;

/** How a frame goes back to its producer. Mirrors the frame channel's results. */
public enum FrameOutcome {
    /** Every stage ran; the pixels were processed in place. */
    PROCESSED,
    /** Every stage ran and chose to leave the pixels exactly as they came (no face to swap, no identity set). */
    UNCHANGED,
    /** Not processed: dropped at the entry for a newer frame, shut down in flight, or a stage that only reads the
     * frame failed. The pixels are the original ones, so the producer must not show them as a swapped frame — that
     * would leak the streamer's real face whenever the engine falls behind. */
    SKIPPED,
    /** A stage that writes the frame failed part-way; the pixels may be partly processed. */
    FAILED
}
