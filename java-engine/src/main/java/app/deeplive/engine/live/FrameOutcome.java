package app.deeplive.engine.live;

/** How a frame goes back to its producer. Mirrors the frame channel's results. */
public enum FrameOutcome {
    /** Every stage ran; the pixels were processed in place. */
    PROCESSED,
    /** The pixels are exactly as they came: dropped at the entry, no face, shut down in flight, or a stage that
     * only reads the frame failed. */
    UNCHANGED,
    /** A stage that writes the frame failed part-way; the pixels may be partly processed. */
    FAILED
}
