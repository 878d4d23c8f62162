package app.deeplive.engine.live;

import app.deeplive.engine.image.FrameView;

/**
 * Pastes the faces back into the frame in place — the only stage that writes the frame: the enhanced face when an
 * enhancer ran, else the swapped one, warped back over just the region its crop covers and blended with a feathered
 * mask made once. Pixels outside the faces' regions are never touched.
 */
final class CompositeStage implements Stage {
    /** Feather width as a fraction of the crop's side. */
    static final double FEATHER = 0.1;

    private final FrameSlot<FaceCrops> faces;
    private final int size;
    private final float[] mask;
    private final float scale;
    private final float add;

    /**
     * @param faces the crops to paste (the swapper's, RGB [0,1]; or the enhancer's, RGB [−1,1])
     * @param enhanced whether they are the enhancer's
     */
    CompositeStage(FrameSlot<FaceCrops> faces, int size, boolean enhanced) {
        this.faces = faces;
        this.size = size;
        this.mask = Pixels.featherMask(size, FEATHER);
        this.scale = enhanced ? 127.5f : 255f;
        this.add = enhanced ? 127.5f : 0f;
    }

    @Override
    public void process(LiveFrame frame) {
        FaceCrops crops = frame.get(faces);
        FrameView view = frame.view();
        int n = Math.min(frame.faces().count(), crops.frameToCrop.length);
        for (int i = 0; i < n; i++) {
            Pixels.blendFromPlanes(frame.pixels(), view.width(), view.height(), view.stride(),
                    view.format().bytesPerPixel(), crops.frameToCrop[i], crops.cropToFrame[i], crops.output.buffer(),
                    i * 3 * size * size, size, mask, scale, add);
        }
    }
}
