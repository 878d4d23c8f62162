package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.ProducerChannel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code attach <channel>} serves a producer's channel until it closes, then reports its counters. */
class AttachCommandTest {

    @Test
    void servesTheChannelUntilTheProducerClosesThenReports() throws Exception {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        try (ProducerChannel producer = ProducerChannel.create(0, 16 * 16 * 4)) {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("attach", producer.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!producer.hasConsumer()) {
                assertTrue(System.nanoTime() < deadline, "the engine attached");
                Thread.sleep(5);
            }
            for (int i = 0; i < 10; i++) {
                ProducerChannel.Slot slot = producer.begin(Duration.ofSeconds(1));
                producer.submit(slot, 16, 16, 64, i, 0);
                ProducerChannel.Returned back = producer.receive(Duration.ofSeconds(5));
                assertNotNull(back);
                assertEquals(FrameResult.UNSWAPPED, back.result(), "a passthrough frame is never taken for a swapped one");
                producer.release(back);
            }
            producer.close();
            assertEquals(0, exit.get());
        }
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertEquals(10, report.get("processed").asLong());
        assertEquals("PEER_GONE", report.get("end").asText());
    }

    @Test
    void aWrongNameIsAOneLineErrorSayingWhatToDo() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("attach", "/dlf-1-0123456789abcdef"));
        assertTrue(err.toString().startsWith("error: cannot attach to frame channel /dlf-1-0123456789abcdef: no channel"),
                err.toString());
        assertEquals(1, err.toString().trim().lines().count());
    }
}
