package app.deeplive.engine.session;

/** What a session did with a frame, so the producer can decide what to show (e.g. the last good frame on FAILED). */
public enum FrameOutcome {
    /** The pipeline ran with someone to swap in (it may have left the frame as it was: no face in it). */
    PROCESSED,
    /**
     * Handed back as it came although it may show faces: no identity set yet, or no swapper loaded. The producer
     * must not show it where the streamer's real face must never be seen.
     */
    UNSWAPPED,
    /** Over the session's size limits: handed back untouched (to the producer, like {@link #UNSWAPPED}). */
    REJECTED,
    /** The pipeline failed part-way: the pixels may be partly processed. */
    FAILED
}
