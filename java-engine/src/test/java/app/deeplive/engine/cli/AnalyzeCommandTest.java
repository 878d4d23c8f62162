package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.testing.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void printsOneJsonLinePerImageAndKeepsGoingPastABadOne() throws Exception {
        Path missing = tmp.resolve("missing.jpg");
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("analyze", "--detector", SharedData.model("scrfd_2.5g_bnkps.onnx").toString(),
                "--recognizer", SharedData.model("mobilefacenet.onnx").toString(),
                SharedData.photo("t1.jpg").toString(), missing.toString(), SharedData.photo("obama.jpg").toString());
        assertEquals(1, code, "one image failed, so the exit code is non-zero");
        List<JsonNode> lines = parse(out);
        assertEquals(3, lines.size(), out.toString());

        JsonNode group = lines.get(0);
        assertEquals(SharedData.photo("t1.jpg").toString(), group.get("image").asText());
        assertTrue(group.get("width").asInt() > 0 && group.get("height").asInt() > 0);
        assertEquals(6, group.get("faces").size());
        JsonNode face = group.get("faces").get(0);
        assertEquals(4, face.get("box").size());
        assertTrue(face.get("score").asDouble() >= 0.5);
        assertEquals(5, face.get("kps").size());
        assertEquals(2, face.get("kps").get(0).size());
        assertEquals(128, face.get("embedding").size());
        assertTrue(face.get("score").asDouble() >= group.get("faces").get(5).get("score").asDouble());

        JsonNode bad = lines.get(1);
        assertEquals(missing.toString(), bad.get("image").asText());
        assertEquals("cannot decode image " + missing + ": file not found: check the path", bad.get("error").asText());
        assertFalse(bad.has("faces"));

        assertEquals(1, lines.get(2).get("faces").size());
    }

    @Test
    void withoutARecogniserThereIsNoEmbeddingAndTheExitCodeIsZero() throws Exception {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("analyze", "--detector", SharedData.model("scrfd_500m_bnkps.onnx").toString(),
                "--threshold", "0.6", "--nms", "0.3", "--det-size", "320", SharedData.photo("biden.jpg").toString());
        assertEquals(0, code);
        JsonNode face = parse(out).get(0).get("faces").get(0);
        assertFalse(face.has("embedding"));
    }

    @Test
    void aDetectorSizeThatIsNotAMultipleOf32IsAUsageError() {
        CliRun r = CliRun.of(List.of("analyze", "--detector", SharedData.model("scrfd_500m_bnkps.onnx").toString(),
                "--det-size", "33", SharedData.photo("biden.jpg").toString()));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: --det-size 33: must be a positive multiple of 32 (see `"), r.err());
    }

    @Test
    void badSettingsAreAOneLineUsageError() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("analyze", "--detector", SharedData.model("scrfd_500m_bnkps.onnx").toString(),
                "--threshold", "1.5", SharedData.photo("biden.jpg").toString());
        assertEquals(2, code);
        assertEquals(1, err.toString().strip().lines().count(), "one line, no usage text: " + err);
        assertTrue(err.toString().startsWith("error: --threshold 1.5: must be a face score between 0 and 1 (see `"),
                err.toString());
        assertTrue(err.toString().strip().endsWith(" analyze --help`)"), err.toString());
    }

    private static List<JsonNode> parse(StringWriter out) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                nodes.add(FaceJson.MAPPER.readTree(line));
            }
        }
        return nodes;
    }
}
