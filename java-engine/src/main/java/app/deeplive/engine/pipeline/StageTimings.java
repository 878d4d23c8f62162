package app.deeplive.engine.pipeline;

/**
 * What one {@link FaceSwapPipeline#process} call did and where its time went, in nanoseconds.
 *
 * @param detected faces the detector returned (0 on a frame that reused tracks)
 * @param swapped faces swapped into the frame
 * @param recognised faces whose embedding was taken for face mapping (new faces, and a few bystanders a round)
 * @param detectNanos detection (0 when tracks were reused)
 * @param recogniseNanos embeddings for face mapping
 * @param swapNanos crop + swapper model + colour correction
 * @param landmarkNanos 2d106det for the mouth mask
 * @param blendNanos paste-back (warp, mask, sharpen, composite)
 * @param enhanceNanos face enhancer, including its paste-back
 */
public record StageTimings(int detected, int swapped, int recognised, long detectNanos, long recogniseNanos, long swapNanos,
        long landmarkNanos, long blendNanos, long enhanceNanos) {
    public static final StageTimings NONE = new StageTimings(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public long totalNanos() {
        return detectNanos + recogniseNanos + swapNanos + landmarkNanos + blendNanos + enhanceNanos;
    }
}
