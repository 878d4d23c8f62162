package app.deeplive.engine.live;

import app.deeplive.engine.UserFacingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code java-engine/tools/cost_matched_models.py} (Debian's /usr/bin/python3 with python3-onnx) to write the
 * cost-matched swapper and enhancer stand-ins for a given fraction of the production cost, once per scale, under
 * {@code target/}. Benchmarks only; nothing generated is committed.
 */
public final class CostMatchedModels {
    public static final String PYTHON = "/usr/bin/python3";
    public static final String SWAPPER = "inswapper_128_cost.onnx";
    /** The GPEN-BFR-256 stand-in with a dynamic batch dimension (all faces of a frame in one run). */
    public static final String ENHANCER = "gpen_bfr_256_cost.onnx";
    /** The same network with the batch fixed at 1, like most GPEN/GFPGAN exports (one run per face). */
    public static final String ENHANCER_FIXED_BATCH = "gpen_bfr_256_cost_b1.onnx";
    public static final String REPORT = "cost.json";

    private CostMatchedModels() {}

    /**
     * The folder holding the models for {@code scale}, generating them first if needed.
     *
     * @param projectDir the java-engine folder (holding tools/ and target/)
     */
    public static Path generate(Path projectDir, double scale) {
        Path script = projectDir.resolve("tools/cost_matched_models.py");
        Path out = projectDir.resolve("target/cost-matched-models/scale-" + String.format(Locale.ROOT, "%.4f", scale));
        if (Files.isRegularFile(out.resolve(REPORT)) && Files.isRegularFile(out.resolve(SWAPPER))
                && Files.isRegularFile(out.resolve(ENHANCER))
                && Files.isRegularFile(out.resolve(ENHANCER_FIXED_BATCH))) { // a cache from before it existed: again
            return out;
        }
        if (!Files.isRegularFile(script)) {
            throw new UserFacingException("cannot find " + script + ": run from the project checkout, or pass "
                    + "--swapper and --enhancer model files");
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new UserFacingException(PYTHON + " not found: install python3-onnx and python3-numpy (Debian) to "
                    + "generate the cost-matched models, or pass --swapper and --enhancer model files");
        }
        try {
            Process p = new ProcessBuilder(PYTHON, script.toString(), out.toString(), "--scale",
                    String.format(Locale.ROOT, "%s", scale)).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                throw new UserFacingException("generating cost-matched models failed (needs python3-onnx and "
                        + "python3-numpy): " + log.strip());
            }
        } catch (IOException e) {
            throw new UserFacingException("cannot run " + PYTHON + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while generating cost-matched models", e);
        }
        return out;
    }

    /** The java-engine folder seen from the working directory: itself, or java-engine/ beneath it. */
    public static Path projectDir() {
        Path here = Path.of("").toAbsolutePath();
        if (Files.isDirectory(here.resolve("java-engine/tools"))) {
            return here.resolve("java-engine");
        }
        return here;
    }
}
