package app.deeplive.engine.session;

/** What a session did with a frame, so the producer can decide what to show (e.g. the last good frame on FAILED). */
public enum FrameOutcome {
    /** The pipeline ran (it may have left the frame as it was: no identity set, no face in it). */
    PROCESSED,
    /** Over the session's size limits: handed back untouched. */
    REJECTED,
    /** The pipeline failed part-way: the pixels may be partly processed. */
    FAILED
}
