package app.deeplive.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The synthetic stand-ins for the production swapper, enhancers and landmark model, generated once per test run by
 * {@code java-engine/tools/synthetic_models.py} (see its header for the function each model computes) into
 * {@code target/synthetic-models}. Without Debian's python3-onnx the tests that need them are skipped on a user's
 * machine and fail in CI, like {@link SharedData}.
 */
public final class SyntheticModels {
    public static final String PYTHON = "/usr/bin/python3";
    /** inswapper output = clip(target + SWAP_GAIN · latent[c]); must match the generator. */
    public static final float SWAP_GAIN = 4.0f;
    /** Mouth ellipse of the synthetic 2d106det, in its [-1,1] output space. */
    public static final float MOUTH_CY = 0.33f;
    public static final float MOUTH_RX = 0.22f;
    public static final float MOUTH_RY = 0.10f;

    private static Path dir;

    private SyntheticModels() {}

    public static Path inswapper() {
        return file("inswapper_128.onnx");
    }

    public static Path inswapperFp16() {
        return file("inswapper_128_fp16.onnx");
    }

    /**
     * A HyperSwap-shaped swapper (source [1,512] declared first, target [1,3,256,256] in [−1, 1] → output, and a mask
     * output): output = clip(target + 4·source[c], −1, 1) on RGB channel c; no emap.
     */
    public static Path hyperswap() {
        return file("hyperswap_256.onnx");
    }

    public static Path gfpgan() {
        return file("gfpgan_1.4.onnx");
    }

    public static Path gpen256() {
        return file("gpen_bfr_256.onnx");
    }

    /** {@link #gpen256()} with a dynamic batch dimension: [N,3,256,256] in and out. */
    public static Path gpen256Batched() {
        return file("gpen_bfr_256_batch.onnx");
    }

    public static Path gpen512() {
        return file("gpen_bfr_512.onnx");
    }

    /** A 512-d ArcFace-shaped recogniser (not a real identity model: pooled pixels times a fixed projection). */
    public static Path recognizer512() {
        return file("arcface_512.onnx");
    }

    public static Path landmarks106() {
        return file("2d106det.onnx");
    }

    /**
     * An XSeg-shaped occluder ([1,256,256,3] NHWC BGR 0..1 → [1,256,256,1]): clip(1 + 4 (R − B), 0, 1), so skin is
     * face (1) and anything clearly blue is in front of it (0).
     */
    public static Path occluder() {
        return file("xseg_occluder.onnx");
    }

    /** The emap the generator writes: emap[i][j] = sin(0.37 i + 0.011 j + 0.05 ((i j) mod 13)). */
    public static float emap(int i, int j) {
        return (float) Math.sin(0.37 * i + 0.011 * j + 0.05 * ((i * j) % 13));
    }

    private static synchronized Path file(String name) {
        if (dir == null) {
            dir = generate();
        }
        return dir.resolve(name);
    }

    /**
     * Debian's python3 (with python3-onnx and python3-numpy), which writes the synthetic and cost-matched models:
     * without it a test is skipped on a user's machine and fails in CI.
     */
    public static void requireGenerator() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            String why = PYTHON + " not found: install python3-onnx and python3-numpy to generate the test models";
            if (SharedData.required()) {
                fail(why);
            }
            assumeTrue(false, why);
        }
    }

    private static Path generate() {
        Path script = Path.of("tools/synthetic_models.py").toAbsolutePath();
        Path out = Path.of("target/synthetic-models").toAbsolutePath();
        boolean ci = SharedData.required();
        requireGenerator();
        try {
            Process p = new ProcessBuilder(PYTHON, script.toString(), out.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                String why = "synthetic model generator failed (needs python3-onnx, python3-numpy): " + log;
                if (ci || !log.contains("ModuleNotFoundError")) {
                    fail(why);
                }
                assumeTrue(false, why);
            }
        } catch (IOException e) {
            fail("cannot run the synthetic model generator: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while generating synthetic models");
        }
        return out;
    }
}
