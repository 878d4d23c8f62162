package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.live.CostMatchedModels;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench pipeline} prints one JSON object with the figures issue 8 asks for (values not judged here). */
class PipelineBenchCommandTest {

    /** A small, quick run (480×270, one face, the small detector, 1/500-cost stand-ins); its printed output. */
    private static String smallRun(String... more) {
        return run("480x270", 1, more);
    }

    /** A quick run at {@code size} with {@code faces} faces, the small detector and 1/500-cost stand-ins. */
    private static String run(String size, int faces, String... more) {
        Path shared = SharedData.root();
        SyntheticModels.requireGenerator();
        List<String> args = new ArrayList<>(List.of("bench", "pipeline", "--size", size, "--faces", Integer.toString(faces),
                "--cost-scale", "0.002", "--det-size", "320", "--detector",
                SharedData.model("scrfd_500m_bnkps.onnx").toString(), "--shared", shared.toString()));
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute(args.toArray(String[]::new)));
        return out.toString().trim();
    }

    @Test
    void printsOneJsonObjectWithThePipelineFigures() throws Exception {
        String text = smallRun("--frames", "4", "--warmup", "1");
        assertEquals(1, text.lines().count(), text);
        JsonNode json = new ObjectMapper().readTree(text);
        assertEquals(4, json.get("frames").asInt());
        for (String field : new String[] {"fps", "ideal_fps", "latency_p50_ms", "latency_p99_ms", "sum_of_stage_ms"}) {
            assertTrue(json.get(field).isNumber() && json.get(field).asDouble() > 0, field + " in " + text);
        }
        assertTrue(json.get("dropped").isIntegralNumber(), text);
        for (String stage : new String[] {"analysis", "swap", "enhance", "composite"}) {
            assertTrue(json.get("busy").get(stage).isNumber(), stage + " busy in " + text);
        }
        assertTrue(json.get("allocated_bytes_per_frame").get("composite").isNumber(), text);
        assertTrue(json.get("swapper_batched").asBoolean(), text);
        assertTrue(json.get("enhancer_batched").asBoolean(), "the default stand-in has a dynamic batch: " + text);
    }

    @Test
    void theFixedBatchEnhancerIsReportedAsNotBatched() throws Exception {
        String text = smallRun("--frames", "2", "--warmup", "0", "--fixed-batch-enhancer");
        JsonNode json = new ObjectMapper().readTree(text);
        assertFalse(json.get("enhancer_batched").asBoolean(), text);
        assertEquals(CostMatchedModels.ENHANCER_FIXED_BATCH, json.get("models").get("enhancer").asText());
    }

    @Test
    void theFixedBatchEnhancerAndAnEnhancerFileTogetherAreAOneLineError() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("bench", "pipeline", "--fixed-batch-enhancer", "--enhancer", "none",
                "--swapper", "x.onnx"));
        assertTrue(err.toString().startsWith("error: --fixed-batch-enhancer picks the generated stand-in"),
                err.toString());
    }

    @Test
    void aBadFaceCountIsAOneLineError() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "pipeline", "--faces", "3"), "a usage error");
        assertTrue(err.toString().startsWith("error: --faces 3: must be 1 or 6 (see `"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void withAMappingOnlyTheMappedFaceIsSwapped() throws Exception {
        String text = run("1280x720", 6, "--frames", "6", "--warmup", "1", "--mapped", "1");
        JsonNode json = new ObjectMapper().readTree(text);
        assertEquals(1, json.get("mapped").asInt(), text);
        assertEquals("mobilefacenet.onnx", json.get("models").get("recognizer").asText(), text);
        double swapped = json.get("faces_swapped_per_frame").asDouble();
        assertTrue(swapped > 0.5 && swapped <= 1, "the mapped person, not the five bystanders: " + text);
        assertTrue(json.get("recognitions_per_frame").asDouble() > 0, "the mapping's recogniser runs: " + text);
    }

    @Test
    void moreMappedFacesThanFacesIsAOneLineError() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "pipeline", "--faces", "1", "--mapped", "2"), "a usage error");
        assertTrue(err.toString().startsWith("error: --mapped 2: must be 0..1 (see `"), err.toString());
    }
}
