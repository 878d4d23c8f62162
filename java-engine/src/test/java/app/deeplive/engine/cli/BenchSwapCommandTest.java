package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BenchSwapCommandTest {
    @Test
    void printsPerStageFiguresForOneAndSixFacesAndThe1000PxPasteBack() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "swap", "--iterations", "1", "--warmup", "0",
                "--detector", SharedData.model("scrfd_500m_bnkps.onnx").toString(),
                "--swapper", SyntheticModels.inswapper().toString(),
                "--enhancer-model", SyntheticModels.gpen256().toString(),
                "--landmarks", SyntheticModels.landmarks106().toString(),
                "--one-face", SharedData.photo("obama.jpg").toString(),
                "--group", SharedData.photo("t1.jpg").toString());
        assertEquals(0, code, err.toString());
        JsonNode report = FaceJson.MAPPER.readTree(out.toString());
        assertEquals(1, report.get("one_face").get("faces_swapped").asInt());
        assertEquals(6, report.get("six_faces").get("faces_swapped").asInt());
        for (String scenario : new String[] {"one_face", "six_faces"}) {
            for (String stage : new String[] {"detect_ms", "swap_ms", "mouth_landmarks_ms", "paste_back_ms", "enhance_ms",
                "total_ms"}) {
                assertTrue(report.get(scenario).get(stage).get("mean").asDouble() > 0, scenario + " " + stage);
            }
        }
        assertTrue(report.get("composite_1000px_face").get("paste_back_ms").get("mean").asDouble() > 0);
    }
}
