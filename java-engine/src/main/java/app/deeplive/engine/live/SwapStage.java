package app.deeplive.engine.live;

import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.image.FrameView;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The swap for the live path (inswapper_128 contract): each face's 128² crop on the shifted ArcFace template is
 * warped straight from the frame into the model's input as RGB/255, the source latent beside it, and all faces run
 * through the model together; results land in the work item's {@link FaceCrops}. The latent is the source identity
 * already projected through emap and normalised; a new one applies from the next frame.
 */
final class SwapStage implements Stage {
    static final int LATENT = 512;

    private final BatchedFaceModel model;
    private final FrameSlot<FaceCrops> crops;
    private final float[] template;
    private volatile float[] latent;
    private volatile long facesSwapped;

    SwapStage(BatchedFaceModel model, FrameSlot<FaceCrops> crops, float[] latent) {
        this.model = model;
        this.crops = crops;
        this.template = scaled(FaceTemplate.INSWAPPER_128, model.size());
        setLatent(latent);
    }

    /** Replaces the source identity (takes effect from the next frame). */
    void setLatent(float[] newLatent) {
        if (newLatent.length != LATENT) {
            throw new IllegalArgumentException("the latent has " + LATENT + " values, not " + newLatent.length);
        }
        latent = newLatent.clone();
    }

    @Override
    public void process(LiveFrame frame) {
        FaceSet faces = frame.faces();
        int n = Math.min(faces.count(), model.maxFaces());
        FaceCrops out = frame.get(crops);
        FrameView view = frame.view();
        ByteBuffer px = frame.pixels();
        int size = model.size();
        FloatBuffer input = model.input();
        FloatBuffer latents = model.latent();
        float[] source = latent;
        for (int i = 0; i < n; i++) {
            Affine.fitSimilarity(faces.kpsArray(), faces.kpsOffset(i), template, out.frameToCrop[i]);
            Affine.invert(out.frameToCrop[i], out.cropToFrame[i]);
            Pixels.warpToPlanes(px, view.width(), view.height(), view.stride(), view.format().bytesPerPixel(),
                    out.cropToFrame[i], size, input, i * 3 * size * size, 1f / 255f, 0f);
            latents.put(i * LATENT, source); // absolute bulk put: no position change, no allocation
        }
        model.run(n, out.output);
        facesSwapped = facesSwapped + n;
    }

    /** Faces run through the swapper so far. */
    long facesSwapped() {
        return facesSwapped;
    }

    static float[] scaled(FaceTemplate template, int size) {
        float[] p = template.points();
        float k = (float) size / template.size();
        for (int i = 0; i < p.length; i++) {
            p[i] *= k;
        }
        return p;
    }
}
