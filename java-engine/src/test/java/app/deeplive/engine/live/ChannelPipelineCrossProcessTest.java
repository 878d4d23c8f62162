package app.deeplive.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.channel.ChannelStatus;
import app.deeplive.engine.channel.LeasedFrameChannel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The C test producer (another process, as OBS will be) and the consumer sessions run (a staged pipeline over a
 * real channel): every frame comes back whole. The producer's path comes from the surefire property {@code dlf.test.producer}
 * (native-shim's CMake build, made first by {@code mvn -pl java-engine -am}).
 */
class ChannelPipelineCrossProcessTest {

    private static Path producerBinary() {
        String path = System.getProperty("dlf.test.producer", "../native-shim/target/cmake/bin/dlf-test-producer");
        Path binary = Path.of(path);
        assertTrue(Files.isExecutable(binary),
                "dlf-test-producer not built at " + binary + "; run Maven with -am so native-shim builds first");
        return binary;
    }

    /** Runs the producer with {@code args}, serves its channel with {@code stage}, returns its JSON report. */
    private static JsonNode exchange(List<String> args, StageSpec stage, boolean declareChecksums,
            long expectedFrames) throws Exception {
        var command = new java.util.ArrayList<String>();
        command.add(producerBinary().toString());
        command.addAll(args);
        command.addAll(List.of("--wait-consumer", "30"));
        Process producer = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(producer.getInputStream(), StandardCharsets.UTF_8))) {
            String name = out.readLine();
            assertNotNull(name, "the producer prints its channel name first");
            LeasedFrameChannel channel = LeasedFrameChannel.attach(name).declareChecksums(declareChecksums);
            try (ServedChannel worker = new ServedChannel(channel, stage)) {
                String report = out.readLine();
                assertTrue(producer.waitFor(120, TimeUnit.SECONDS), "producer finished");
                assertNotNull(report, "the producer prints a JSON report");
                assertTrue(worker.awaitEnd(Duration.ofSeconds(5)), "the engine notices the producer left");
                assertEquals(ChannelStatus.PEER_GONE, worker.endStatus());
                assertEquals(expectedFrames, worker.stats().processed());
                JsonNode json = new ObjectMapper().readTree(report);
                assertEquals(0, producer.exitValue(), report);
                return json;
            }
        } finally {
            producer.destroyForcibly();
        }
    }

    @Test
    void aThousandFullHdFramesPassThroughANoOpEngineUncorrupted() throws Exception {
        JsonNode report = exchange(List.of("--size", "1920x1080", "--fps", "0", "--frames", "1000"),
                Passthrough.stage(), false, 1000);
        assertEquals(0, report.get("corrupted").asLong(), report.toString());
        assertEquals(1000, report.get("received").asLong(), report.toString());
        assertEquals(0, report.get("dropped").asLong(), report.toString());
    }

    @Test
    void pixelsTheEngineWritesInPlaceReachTheProducerWhole() throws Exception {
        JsonNode report = exchange(List.of("--size", "640x360", "--fps", "0", "--frames", "200", "--verify", "checksum"),
                StageSpec.writing("invert", frame -> {
                    var pixels = frame.pixels();
                    for (int i = 0; i < 4096; i++) {
                        pixels.put(i, (byte) ~pixels.get(i));
                    }
                }), true, 200);
        assertEquals(0, report.get("corrupted").asLong(), report.toString());
        assertEquals(200, report.get("received").asLong(), report.toString());
    }

    @Test
    void aKilledProducerEndsTheChannelSoonAfterItsHeartbeatGoesStale() throws Exception {
        Process producer = new ProcessBuilder(producerBinary().toString(), "--size", "320x180", "--fps", "100",
                "--frames", "100000", "--wait-consumer", "30").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(producer.getInputStream(), StandardCharsets.UTF_8))) {
            String name = out.readLine();
            try (ServedChannel worker = ServedChannel.attach(name, Passthrough.stage())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (worker.stats().processed() < 10) {
                    assertTrue(System.nanoTime() < deadline, "frames flow before the kill");
                    Thread.sleep(10);
                }
                producer.destroyForcibly(); // SIGKILL: no chance to close the channel
                long killedAt = System.nanoTime();
                assertTrue(worker.awaitEnd(Duration.ofSeconds(5)));
                long noticedMs = (System.nanoTime() - killedAt) / 1_000_000;
                assertEquals(ChannelStatus.PEER_GONE, worker.endStatus());
                // The heartbeat goes stale after 500 ms, noticed at the next poll: about 600 ms. Five times that.
                assertTrue(noticedMs < 3000, "noticed after " + noticedMs + " ms");
            }
        } finally {
            producer.destroyForcibly();
            producer.waitFor();
        }
    }
}
