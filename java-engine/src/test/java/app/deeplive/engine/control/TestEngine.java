package app.deeplive.engine.control;

import static org.bytedeco.opencv.global.opencv_core.mean;

import app.deeplive.engine.pipeline.ModelLoader;
import app.deeplive.engine.session.InMemoryFrameSource;
import app.deeplive.engine.session.RecordingPipelines;
import app.deeplive.engine.session.RequestRejected;
import app.deeplive.engine.session.SessionManager;
import app.deeplive.engine.session.SessionPipelines;
import app.deeplive.engine.session.SourceFace;
import app.deeplive.engine.session.SourceFaceFinder;
import app.deeplive.engine.session.SourceFaceRequests;
import app.deeplive.engine.session.SourceImages;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * A control server on 127.0.0.1 (free port) with in-memory frame channels. Unless a test passes its own finder,
 * source images are judged by colour: a dark image has "no face", any other gives an identity whose embedding is
 * the image's mean blue and green (so two different images give two different identities).
 */
final class TestEngine implements AutoCloseable {
    static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static final SourceFaceFinder COLOUR_FINDER = bgr -> {
        try (Scalar m = mean(bgr)) {
            if (m.get(0) + m.get(1) + m.get(2) < 15) {
                throw new RequestRejected(RequestRejected.Reason.NO_FACE, "no face in source image");
            }
            return new SourceFace(new float[] {0, 0, bgr.cols(), bgr.rows()}, 0.99f,
                    new float[] {(float) (m.get(0) / 255), (float) (m.get(1) / 255)});
        }
    };

    final Map<String, InMemoryFrameSource> channels = new ConcurrentHashMap<>();
    /** Channels named "slow…" attach only once this opens (a channel that takes a while to attach). */
    final CountDownLatch slowAttach = new CountDownLatch(1);
    /** Counted down when a "slow…" channel starts attaching. */
    final CountDownLatch slowAttaching = new CountDownLatch(1);
    final SessionManager sessions;
    final ControlServer server;
    final InetSocketAddress address;

    TestEngine() throws InterruptedException {
        this(ControlLimits.DEFAULT, 4, COLOUR_FINDER, RecordingPipelines.FACTORY);
    }

    TestEngine(ControlLimits limits, int maxSessions, SourceFaceFinder finder, SessionPipelines pipelines)
            throws InterruptedException {
        sessions = new SessionManager((name, frameLimits) -> {
            if (name.startsWith("missing")) {
                throw new RequestRejected(RequestRejected.Reason.NOT_FOUND, "no frame channel named " + name);
            }
            if (name.startsWith("slow")) {
                slowAttaching.countDown();
                try {
                    slowAttach.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            InMemoryFrameSource source = new InMemoryFrameSource();
            channels.put(name, source);
            return source;
        }, pipelines, maxSessions);
        Capabilities caps = new Capabilities(List.of("CPU"),
                Map.of("detector", new ModelLoader.Outcome("/models/det.onnx", true, null)), pipelines.description());
        server = new ControlServer(limits, AuthToken.of(TOKEN), caps, sessions, new SourceFaceRequests(new SourceImages(), finder));
        address = server.start("127.0.0.1", 0);
    }

    TestClient client() throws java.io.IOException {
        return new TestClient(address);
    }

    /** A connected, authenticated client. */
    TestClient authenticated() throws java.io.IOException {
        TestClient c = client();
        ObjectNodeAssert.type(c.hello(TOKEN), "welcome");
        return c;
    }

    @Override
    public void close() {
        slowAttach.countDown(); // never leave a worker waiting on it
        server.close();
    }
}
