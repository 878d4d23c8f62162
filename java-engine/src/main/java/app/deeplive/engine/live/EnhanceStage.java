package app.deeplive.engine.live;

import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.image.FrameView;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The face enhancer (GPEN-BFR / GFPGAN contract: FFHQ-aligned crop, RGB in [−1, 1]) on the swapped faces, before
 * anything is pasted: each enhancer input pixel takes the swapper's output where the swap crop covers it and the
 * frame's own pixel elsewhere, which is what the enhancer would see after a paste-back — so the frame is written
 * once (by compositing) instead of twice, and this stage only reads it. All faces run through the model together.
 */
final class EnhanceStage implements Stage {
    private final BatchedFaceModel model;
    private final FrameSlot<FaceCrops> swapped;
    private final int swapSize;
    private final FrameSlot<FaceCrops> enhanced;
    private final float[] template;
    private final double[] ffhqToSwap = new double[6];

    EnhanceStage(BatchedFaceModel model, FrameSlot<FaceCrops> swapped, int swapSize, FrameSlot<FaceCrops> enhanced) {
        this.model = model;
        this.swapped = swapped;
        this.swapSize = swapSize;
        this.enhanced = enhanced;
        this.template = FaceTemplate.ffhq(model.size()).points();
    }

    @Override
    public void process(LiveFrame frame) {
        FaceSet faces = frame.faces();
        int n = Math.min(faces.count(), model.maxFaces());
        FaceCrops swap = frame.get(swapped);
        FaceCrops out = frame.get(enhanced);
        FrameView view = frame.view();
        ByteBuffer px = frame.pixels();
        int bpp = view.format().bytesPerPixel();
        int size = model.size();
        int plane = size * size;
        FloatBuffer input = model.input();
        FloatBuffer swapOut = swap.output.buffer();
        for (int i = 0; i < n; i++) {
            Affine.fitSimilarity(faces.kpsArray(), faces.kpsOffset(i), template, out.frameToCrop[i]);
            Affine.invert(out.frameToCrop[i], out.cropToFrame[i]);
            Affine.then(out.cropToFrame[i], swap.frameToCrop[i], ffhqToSwap);
            double[] toFrame = out.cropToFrame[i];
            int swapOffset = i * 3 * swapSize * swapSize;
            int base = i * 3 * plane;
            for (int v = 0; v < size; v++) {
                for (int u = 0; u < size; u++) {
                    double s = ffhqToSwap[0] * u + ffhqToSwap[1] * v + ffhqToSwap[2];
                    double t = ffhqToSwap[3] * u + ffhqToSwap[4] * v + ffhqToSwap[5];
                    int o = base + v * size + u;
                    if (s >= 0 && t >= 0 && s <= swapSize - 1 && t <= swapSize - 1) {
                        for (int ch = 0; ch < 3; ch++) { // swapper output is RGB in [0, 1]
                            input.put(o + ch * plane, Pixels.samplePlane(swapOut, swapOffset, swapSize, ch, s, t) * 2f - 1f);
                        }
                    } else {
                        double x = toFrame[0] * u + toFrame[1] * v + toFrame[2];
                        double y = toFrame[3] * u + toFrame[4] * v + toFrame[5];
                        for (int ch = 0; ch < 3; ch++) {
                            input.put(o + ch * plane, Pixels.sampleFrame(px, view.width(), view.height(), view.stride(),
                                    bpp, 2 - ch, x, y) / 127.5f - 1f);
                        }
                    }
                }
            }
        }
        model.run(n, out.output);
    }
}
