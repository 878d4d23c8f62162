package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench transport} prints one JSON object with the figures the issue asks for (values not judged here). */
class BenchTransportCommandTest {

    @Test
    void printsOneJsonObjectWithTheTransportFigures() throws Exception {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("bench", "transport", "--size", "64x32", "--frames", "50"));
        String text = out.toString().trim();
        assertEquals(1, text.lines().count(), text);
        JsonNode json = new ObjectMapper().readTree(text);
        assertEquals(50, json.get("frames").asInt());
        assertEquals(0, json.get("corrupted").asLong());
        assertEquals(0, json.get("dropped").asLong());
        for (String field : new String[] {"p50_us", "p99_us", "memcpy2_us"}) {
            assertTrue(json.get(field).isNumber() && json.get(field).asDouble() > 0, field + " in " + text);
        }
    }

    @Test
    void aBadSizeIsAOneLineError() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "transport", "--size", "big"), "a usage error");
        assertTrue(err.toString().startsWith("error: --size big: must look like 1920x1080"), err.toString());
    }

    @Test
    void aSizeOutOfRangeIsAUsageError() {
        CliRun r = CliRun.of(List.of("bench", "transport", "--size", "0x0"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("error: --size 0x0: must look like 1920x1080"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
