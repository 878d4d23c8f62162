package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.testing.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BenchAnalysisCommandTest {
    @Test
    void printsStageFiguresForEachDetectorAndThePerFaceRecognitionCost() throws Exception {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("bench", "analysis", "--iterations", "1", "--warmup", "0", "--det-size", "320",
                "--detector", SharedData.model("scrfd_500m_bnkps.onnx").toString(),
                "--recognizer", SharedData.model("mobilefacenet.onnx").toString(),
                "--photo", SharedData.photo("obama.jpg").toString());
        assertEquals(0, code);
        JsonNode report = FaceJson.MAPPER.readTree(out.toString());
        assertEquals(1920, report.get("frame").get("width").asInt());
        assertEquals(1080, report.get("frame").get("height").asInt());
        JsonNode det = report.get("detectors").get(0);
        assertEquals(1, det.get("faces").asInt());
        assertEquals(320, det.get("det_size").asInt());
        for (String stage : new String[] {"preprocess_ms", "run_ms", "decode_nms_ms", "total_ms"}) {
            assertTrue(det.get(stage).get("p50").asDouble() > 0, stage);
        }
        assertTrue(report.get("recognition").get("total_ms_per_face").get("mean").asDouble() > 0);
    }
}
