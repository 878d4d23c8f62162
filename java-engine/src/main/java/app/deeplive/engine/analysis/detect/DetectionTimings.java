package app.deeplive.engine.analysis.detect;

/** Where the last detection's time went, in nanoseconds: letterbox and tensor fill, the model run, decode and NMS. */
public record DetectionTimings(long preprocessNanos, long inferenceNanos, long decodeNanos) {}
