package app.deeplive.engine.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.live.CostMatchedModels;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** All faces of a frame through the swapper: one run where the batch dimension is dynamic, the same faces out. */
class InSwapperBatchTest {
    private static final OrtConfig ORT = OrtConfig.cpu().withIntraOpThreads(1);

    /** A 128² BGR crop that differs per seed. */
    private static Mat crop(int seed) {
        Mat m = new Mat(SwapperFamily.INSWAPPER.size(), SwapperFamily.INSWAPPER.size(), opencv_core.CV_8UC3);
        try (UByteIndexer px = m.createIndexer()) {
            for (int y = 0; y < SwapperFamily.INSWAPPER.size(); y++) {
                for (int x = 0; x < SwapperFamily.INSWAPPER.size(); x++) {
                    for (int c = 0; c < 3; c++) {
                        px.put(y, x, c, (x * (c + 1) + y * (seed + 2) + 37 * seed) & 0xff);
                    }
                }
            }
        }
        return m;
    }

    /** Largest difference of any byte between each pair of images. */
    private static int maxDifference(List<Mat> a, List<Mat> b) {
        int worst = 0;
        for (int i = 0; i < a.size(); i++) {
            try (UByteIndexer p = a.get(i).createIndexer(); UByteIndexer q = b.get(i).createIndexer()) {
                for (int y = 0; y < SwapperFamily.INSWAPPER.size(); y++) {
                    for (int x = 0; x < SwapperFamily.INSWAPPER.size(); x++) {
                        for (int c = 0; c < 3; c++) {
                            worst = Math.max(worst, Math.abs(p.get(y, x, c) - q.get(y, x, c)));
                        }
                    }
                }
            }
        }
        return worst;
    }

    private static int swapAllMatchesSwapOneByOne(FaceSwapper swapper, int faces) {
        List<Mat> crops = new ArrayList<>();
        List<float[]> latents = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            crops.add(crop(i));
            latents.add(swapper.latent(InSwapperTest.embedding(i + 1)));
        }
        List<Mat> one = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            one.add(swapper.swap(crops.get(i), latents.get(i)));
        }
        List<Mat> all = swapper.swapAll(crops, latents);
        try {
            assertEquals(faces, all.size());
            return maxDifference(one, all);
        } finally {
            crops.forEach(Mat::close);
            one.forEach(Mat::close);
            all.forEach(Mat::close);
        }
    }

    @Test
    void aDynamicBatchTakesAllFacesInOneRunWithTheSameResultAsOneRunEach() {
        SyntheticModels.requireGenerator();
        Path dir = CostMatchedModels.generate(CostMatchedModels.projectDir(), 0.002);
        try (FaceSwapper swapper = FaceSwapper.open(dir.resolve(CostMatchedModels.SWAPPER), ORT)) {
            assertTrue(swapper.batched(), "the cost-matched swapper's batch dimension is dynamic");
            assertTrue(swapAllMatchesSwapOneByOne(swapper, 6) <= 1, "batched and single runs differ");
            // More faces than one run takes: split into runs of MAX_BATCH.
            assertTrue(swapAllMatchesSwapOneByOne(swapper, FaceSwapper.MAX_BATCH + 2) <= 1);
        }
    }

    @Test
    void aModelFixedAtBatchOneRunsOncePerFace() {
        try (FaceSwapper swapper = FaceSwapper.open(SyntheticModels.inswapper(), ORT)) {
            assertFalse(swapper.batched());
            assertEquals(0, swapAllMatchesSwapOneByOne(swapper, 3));
        }
    }
}
