package app.deeplive.engine.control;

import static app.deeplive.engine.control.ObjectNodeAssert.error;
import static app.deeplive.engine.control.ObjectNodeAssert.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.session.InMemoryFrameSource;
import app.deeplive.engine.session.SessionPipelines;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many, slow and concurrent clients: limits hold and everyone else is still served. */
class ControlLoadTest {
    @Test
    void aSlowLorisClientIsClosedByTheIdleTimeoutWhileOthersAreServed() throws Exception {
        ControlLimits limits = ControlLimits.DEFAULT.withTimeouts(Duration.ofSeconds(30), Duration.ofMillis(600));
        try (TestEngine engine = new TestEngine(limits, 4, TestEngine.COLOUR_FINDER, SessionPipelines.PASSTHROUGH);
                TestClient slow = engine.authenticated();
                TestClient idle = engine.authenticated();
                TestClient busy = engine.authenticated()) {
            // The slow client announces 100 bytes and drips one byte every 100 ms: never a complete message.
            slow.sendRaw(ByteBuffer.allocate(4).putInt(100).array());
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                try {
                    slow.sendRaw(new byte[] {' '});
                    busy.request("{\"type\":\"ping\",\"id\":" + i + "}"); // the busy client keeps its connection
                    Thread.sleep(100);
                } catch (java.io.IOException e) {
                    closed = true;
                }
                closed |= i > 8 && slow.closedAfterPoll();
            }
            assertTrue(closed, "the slow client was closed");
            // The 600 ms idle timeout closed it, long before the 30 s hello timeout (5 s: wide for a loaded machine).
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            idle.timeout(3000);
            ObjectNode goodbye = idle.read();
            error(goodbye, "timeout"); // the idle one is told why and closed too
            assertTrue(idle.closedByEngine());
            type(busy.request("{\"type\":\"ping\",\"id\":\"still\"}"), "pong");
        }
    }

    @Test
    void hundredsOfConnectionsHitTheLimitAndTheClientsInsideAreStillServed() throws Exception {
        ControlLimits limits = ControlLimits.DEFAULT.withMaxConnections(50);
        try (TestEngine engine = new TestEngine(limits, 4, TestEngine.COLOUR_FINDER, SessionPipelines.PASSTHROUGH);
                TestClient inside = engine.authenticated()) {
            List<TestClient> flood = new ArrayList<>();
            int refused = 0;
            try {
                for (int i = 0; i < 300; i++) {
                    TestClient c = engine.client();
                    flood.add(c);
                }
                // 49 get in (with `inside`, 50); every other one is told `limit` and closed. Which ones is up to
                // the I/O threads' order, so each is asked: a hello gets welcome inside, `limit` outside.
                int admitted = 0;
                for (TestClient c : flood) {
                    c.timeout(3000);
                    try {
                        c.send("{\"type\":\"hello\",\"id\":0,\"version\":1,\"token\":\"" + TestEngine.TOKEN + "\"}");
                    } catch (java.io.IOException e) {
                        // already closed by the engine: its limit error is still readable
                    }
                    ObjectNode first = c.read();
                    if (first != null && "welcome".equals(first.path("type").asText())) {
                        admitted++;
                    } else if (first == null) {
                        refused++; // closed so fast that the reset beat the limit message: still refused
                    } else {
                        error(first, "limit");
                        assertTrue(c.closedByEngine());
                        refused++;
                    }
                }
                assertEquals(49, admitted);
                assertEquals(251, refused);
                type(inside.request("{\"type\":\"ping\",\"id\":1}"), "pong");
            } finally {
                for (TestClient c : flood) {
                    c.close();
                }
            }
            for (int i = 0; i < 100 && engine.server.openConnections() > 1; i++) {
                Thread.sleep(20);
            }
            assertEquals(1, engine.server.openConnections(), "closed connections free their slots");
            try (TestClient again = engine.authenticated()) {
                type(again.request("{\"type\":\"ping\",\"id\":2}"), "pong");
            }
        }
    }

    @Test
    void concurrentClientsEachDriveTheirOwnSession() throws Exception {
        try (TestEngine engine = new TestEngine(ControlLimits.DEFAULT, 8, TestEngine.COLOUR_FINDER,
                SessionPipelines.PASSTHROUGH)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int n = t;
                    results.add(pool.submit(() -> {
                        try (TestClient c = engine.authenticated()) {
                            String s = type(c.request("{\"type\":\"open_session\",\"id\":1,\"channel\":\"cc-" + n + "\"}"),
                                    "session_opened").path("session").asText();
                            InMemoryFrameSource channel = engine.channels.get("cc-" + n);
                            int ok = 0;
                            for (int i = 0; i < 50; i++) {
                                ObjectNode r = type(c.request("{\"type\":\"set_options\",\"id\":" + (i + 2) + ",\"session\":\""
                                        + s + "\",\"options\":{\"opacity\":" + (i / 50.0) + "}}"), "options_set");
                                assertEquals(i / 50.0, r.at("/options/opacity").asDouble(), 1e-9);
                                channel.send(InMemoryFrameSource.frame(4, 4, n));
                                assertEquals(n, channel.receive(2000).pixels().get(0));
                                ok++;
                            }
                            type(c.request("{\"type\":\"close_session\",\"id\":100,\"session\":\"" + s + "\"}"),
                                    "session_closed");
                            return ok;
                        }
                    }));
                }
                for (Future<Integer> f : results) {
                    assertEquals(50, f.get(30, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, engine.sessions.openCount());
        }
    }

    @Test
    void aClientThatNeverReadsRepliesCannotMakeTheEngineBufferWithoutBound() throws Exception {
        try (TestEngine engine = new TestEngine(); TestClient greedy = engine.authenticated()) {
            // 20000 pings without reading a single pong: the engine stops reading from this client when its
            // outgoing buffer is full, so the client's writes block; it must not affect a second client.
            Thread writer = new Thread(() -> {
                try {
                    byte[] ping = TestClient.frame("{\"type\":\"ping\",\"id\":1}".getBytes());
                    ByteBuffer many = ByteBuffer.allocate(ping.length * 1000);
                    for (int i = 0; i < 1000; i++) {
                        many.put(ping);
                    }
                    for (int i = 0; i < 20; i++) {
                        greedy.sendRaw(many.array());
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            writer.setDaemon(true);
            writer.start();
            writer.join(3000);
            try (TestClient other = engine.authenticated()) {
                type(other.request("{\"type\":\"ping\",\"id\":2}"), "pong");
            }
            greedy.close();
            writer.join(3000);
        }
    }
}
