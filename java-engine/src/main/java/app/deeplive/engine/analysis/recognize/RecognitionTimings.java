package app.deeplive.engine.analysis.recognize;

/** Where the last face's recognition time went, in nanoseconds: warp and tensor fill, then the model run and L2 norm. */
public record RecognitionTimings(long alignNanos, long embedNanos) {}
