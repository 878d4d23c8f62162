package app.deeplive.engine.swap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import app.deeplive.engine.testing.TestImages;
import app.deeplive.engine.testing.TwoThreads;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * A swapper for another caller shares the loaded inswapper session and the emap (synthetic model: output =
 * clip(target + 4·latent[c])), swaps exactly as the original does, alone or two threads at once, and leaves the
 * model to the last swapper over it.
 */
class InSwapperForAnotherCallerTest {
    private static List<byte[]> swapped(FaceSwapper swapper, List<Mat> crops, List<float[]> latents) {
        List<Mat> out = swapper.swapAll(crops, latents);
        List<byte[]> bytes = new ArrayList<>();
        out.forEach(m -> bytes.add(TestImages.bytes(m)));
        out.forEach(Mat::close);
        return bytes;
    }

    @Test
    void swapsExactlyAsTheOriginalAloneAndTwoThreadsAtOnce() throws Exception {
        try (FaceSwapper original = FaceSwapper.open(SyntheticModels.inswapper(), OrtConfig.cpu());
                FaceSwapper a = original.forAnotherCaller(); FaceSwapper b = original.forAnotherCaller();
                Mat crop1 = TestImages.pattern(SwapperFamily.INSWAPPER.size(), SwapperFamily.INSWAPPER.size(), 1);
                Mat crop2 = TestImages.pattern(SwapperFamily.INSWAPPER.size(), SwapperFamily.INSWAPPER.size(), 2)) {
            assertSame(original.model().session(), a.model().session(), "nothing was loaded again");
            float[] latent1 = original.latent(InSwapperTest.embedding(1));
            float[] latent2 = original.latent(InSwapperTest.embedding(2));
            assertArrayEquals(latent1, a.latent(InSwapperTest.embedding(1)), "the same emap");
            List<Mat> crops = List.of(crop1, crop2);
            List<float[]> latents = List.of(latent1, latent2);
            List<byte[]> expected = swapped(original, crops, latents);
            assertFalse(java.util.Arrays.equals(expected.get(0), TestImages.bytes(crop1)), "the face was swapped");

            List<FaceSwapper> callers = List.of(a, b);
            for (List<List<byte[]>> caller : TwoThreads.run(10, c -> r -> swapped(callers.get(c), crops, latents))) {
                for (List<byte[]> round : caller) { // both threads on the same crops at once
                    assertArrayEquals(expected.get(0), round.get(0));
                    assertArrayEquals(expected.get(1), round.get(1));
                }
            }
            // Different crops at once (shared buffers would mix them up): caller c swaps crop (c + r) % 2.
            List<List<List<byte[]>>> results = TwoThreads.run(20, c -> r -> swapped(callers.get(c),
                    List.of(crops.get((c + r) % 2)), List.of(latents.get((c + r) % 2))));
            for (int c = 0; c < 2; c++) {
                for (int r = 0; r < results.get(c).size(); r++) {
                    assertArrayEquals(expected.get((c + r) % 2), results.get(c).get(r).get(0), "caller " + c + ", round " + r);
                }
            }
        }
    }

    @Test
    void closingTheSiblingsLeavesTheOriginalWorkingAndTheModelClosesWithTheLast() {
        FaceSwapper original = FaceSwapper.open(SyntheticModels.inswapper(), OrtConfig.cpu());
        try (Mat crop = TestImages.pattern(SwapperFamily.INSWAPPER.size(), SwapperFamily.INSWAPPER.size(), 3)) {
            float[] latent = original.latent(InSwapperTest.embedding(3));
            FaceSwapper sibling = original.forAnotherCaller();
            List<byte[]> expected = swapped(sibling, List.of(crop), List.of(latent));
            sibling.close();
            assertTrue(original.model().isOpen());
            assertArrayEquals(expected.get(0), swapped(original, List.of(crop), List.of(latent)).get(0));
        } finally {
            original.close(); // the OrtSession would throw on a second close
        }
        assertFalse(original.model().isOpen());
    }
}
