package app.deeplive.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.testing.SyntheticModels;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * Several faces through a face model: in one run when the batch dimension is dynamic, one run per face over slices
 * of the same buffers when the export is fixed at batch 1 (like the real inswapper_128) — each face gets its own
 * result either way.
 */
class BatchedFaceModelTest {
    private static final int PLANE = 3 * 128 * 128;

    @Test
    void aModelFixedAtBatchOneRunsOncePerFaceAndEachFaceGetsItsOwnResult() {
        // The synthetic inswapper: output = clip(target + 4 · source[c], 0, 1) for channel c.
        try (LoadedModel model = OrtSessions.open(SyntheticModels.inswapper(), OrtConfig.cpu());
                BatchedFaceModel faces = new BatchedFaceModel(model, 512, 3);
                BatchedFaceModel.Output out = faces.newOutput()) {
            assertFalse(faces.batched(), "the export takes [1,3,128,128]");
            FloatBuffer in = faces.input();
            FloatBuffer latent = faces.latent();
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < PLANE; k++) {
                    in.put(i * PLANE + k, 0.25f);
                }
                for (int c = 0; c < 512; c++) {
                    latent.put(i * 512 + c, c < 3 ? 0.01f * (i + 1) * (c + 1) : 0f);
                }
            }
            faces.run(3, out);
            for (int i = 0; i < 3; i++) {
                for (int c = 0; c < 3; c++) {
                    float expected = 0.25f + SyntheticModels.SWAP_GAIN * 0.01f * (i + 1) * (c + 1);
                    assertEquals(expected, out.buffer().get(i * PLANE + c * 128 * 128 + 777), 1e-5,
                            "face " + i + " channel " + c);
                }
            }
        }
    }

    @Test
    void aDynamicBatchTakesAllFacesInOneRun() {
        java.nio.file.Path dir = CostMatchedModels.generate(CostMatchedModels.projectDir(), 0.002);
        try (LoadedModel model = OrtSessions.open(dir.resolve(CostMatchedModels.SWAPPER), OrtConfig.cpu());
                BatchedFaceModel faces = new BatchedFaceModel(model, 512, 4);
                BatchedFaceModel.Output out = faces.newOutput()) {
            assertTrue(faces.batched());
            for (int k = 0; k < 4 * PLANE; k++) {
                faces.input().put(k, (k % 255) / 255f);
            }
            faces.run(4, out);
            float first = out.buffer().get(123);
            assertTrue(first > 0 && first < 1, "a sigmoid output");
            assertTrue(out.buffer().get(3 * PLANE + 123) > 0, "the fourth face was written too");
        }
    }
}
