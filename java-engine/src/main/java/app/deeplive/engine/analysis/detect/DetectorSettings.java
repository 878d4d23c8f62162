package app.deeplive.engine.analysis.detect;

/**
 * How the detector runs.
 *
 * @param inputSize side of the square model input the frame is letterboxed into; 0 means the model's own fixed size,
 *     or 640 for models that take any size (those need a multiple of 32)
 * @param scoreThreshold faces scoring below this are dropped
 * @param nmsThreshold of two faces overlapping by more than this intersection-over-union, the lower-scoring one goes
 */
public record DetectorSettings(int inputSize, float scoreThreshold, float nmsThreshold) {
    public static final int DEFAULT_INPUT_SIZE = 640;

    public DetectorSettings {
        if (inputSize < 0) {
            throw new IllegalArgumentException("detector input size must be positive (or 0 for the model's own): " + inputSize);
        }
        if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
            throw new IllegalArgumentException("score threshold must be between 0 and 1: " + scoreThreshold);
        }
        if (!(nmsThreshold >= 0 && nmsThreshold <= 1)) {
            throw new IllegalArgumentException("NMS threshold must be between 0 and 1: " + nmsThreshold);
        }
    }

    /** 640 (or the model's fixed size), score 0.5, NMS 0.4: the reference settings. */
    public static DetectorSettings defaults() {
        return new DetectorSettings(0, 0.5f, 0.4f);
    }

    public DetectorSettings withInputSize(int size) {
        return new DetectorSettings(size, scoreThreshold, nmsThreshold);
    }

    public DetectorSettings withScoreThreshold(float t) {
        return new DetectorSettings(inputSize, t, nmsThreshold);
    }

    public DetectorSettings withNmsThreshold(float t) {
        return new DetectorSettings(inputSize, scoreThreshold, t);
    }
}
