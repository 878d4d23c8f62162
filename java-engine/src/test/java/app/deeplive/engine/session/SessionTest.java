package app.deeplive.engine.session;

import app.deeplive.engine.channel.FrameResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.live.FrameIntake;
import app.deeplive.engine.live.LivePipeline;
import app.deeplive.engine.live.StageSpec;
import app.deeplive.engine.live.StagedPipeline;
import app.deeplive.engine.live.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A session is a frame source plus its staged pipeline: settings apply from the next frame, frames without an
 * identity or a swapper go back unswapped, refused and failed frames are counted and the stream goes on, and the
 * session ends (releasing its source) when the producer goes away or the engine shuts down.
 */
class SessionTest {
    private static SourceFace face(float first) {
        return new SourceFace(new float[] {0, 0, 10, 10}, 0.9f, new float[] {first, 0.5f});
    }

    @Test
    void aSourceFaceChangeAppliesFromTheNextFrameWithoutInterruptingTheSession() throws Exception {
        InMemoryFrameSource source = new InMemoryFrameSource();
        try (SessionManager manager = new SessionManager((name, limits) -> source, RecordingPipelines.FACTORY, 2)) {
            Session s = manager.open("ch", FrameLimits.DEFAULT, (x, why) -> {});

            source.send(InMemoryFrameSource.frame(8, 8, 7));
            FrameView before = source.receive(2000);
            assertNotNull(before);
            assertEquals(7, before.pixels().get(0), "no source face: frame unchanged");
            assertEquals(FrameResult.UNSWAPPED, source.outcomes.take(), "its face is the real one: not a swap");

            s.update(st -> st.withSourceFace(face(0.3f)));
            source.send(InMemoryFrameSource.frame(8, 8, 7));
            assertEquals(30, source.receive(2000).pixels().get(0), "the next frame used the new face");
            assertEquals(FrameResult.PROCESSED, source.outcomes.take());

            s.update(st -> st.withSourceFace(face(0.4f)));
            source.send(InMemoryFrameSource.frame(8, 8, 7));
            assertEquals(40, source.receive(2000).pixels().get(0));
            assertTrue(s.isOpen());
            assertEquals(3, s.stats().frames());
        }
    }

    @Test
    void withoutASwapperEveryFrameGoesBackUnswappedEvenWithAnIdentity() throws Exception {
        InMemoryFrameSource source = new InMemoryFrameSource();
        try (SessionManager manager = new SessionManager((name, limits) -> source, SessionPipelines.PASSTHROUGH, 2)) {
            Session s = manager.open("ch", FrameLimits.DEFAULT, (x, why) -> {});
            s.update(st -> st.withSourceFace(face(0.5f)));
            source.send(InMemoryFrameSource.frame(8, 8, 7));
            assertEquals(7, source.receive(2000).pixels().get(0));
            assertEquals(FrameResult.UNSWAPPED, source.outcomes.take(), "a model is missing: the real face is in it");
        }
    }

    @Test
    void framesOverTheLimitsGoBackUntouchedAndAreCounted() throws Exception {
        InMemoryFrameSource source = new InMemoryFrameSource();
        try (SessionManager manager = new SessionManager((name, limits) -> source, RecordingPipelines.FACTORY, 2)) {
            Session s = manager.open("ch", new FrameLimits(16, 16), (x, why) -> {});
            s.update(st -> st.withSourceFace(face(0.5f)));
            source.send(InMemoryFrameSource.frame(32, 8, 1));
            assertEquals(1, source.receive(2000).pixels().get(0));
            assertEquals(FrameResult.UNSWAPPED, source.outcomes.take(), "untouched, its faces are the real ones");
            assertEquals(1, s.stats().rejected());
        }
    }

    @Test
    void aFailingFrameIsCountedAndTheSessionCarriesOn() throws Exception {
        InMemoryFrameSource source = new InMemoryFrameSource();
        SessionPipelines failsOnce = new SessionPipelines() {
            int calls;

            @Override
            public LivePipeline create(String name, FrameIntake intake, Supplier<SessionSettings> settings,
                    StreamObserver observer) {
                StagedPipeline pipeline = StagedPipeline.builder(name, intake).onCompleted(observer::frameDone)
                        .stage(StageSpec.writing("write", frame -> {
                            if (calls++ == 0) {
                                throw new IllegalStateException("boom");
                            }
                        }))
                        .build();
                return () -> pipeline;
            }

            @Override
            public String description() {
                return "fails once";
            }
        };
        try (SessionManager manager = new SessionManager((name, limits) -> source, failsOnce, 2)) {
            Session s = manager.open("ch", FrameLimits.DEFAULT, (x, why) -> {});
            s.update(st -> st.withSourceFace(face(0.5f)));
            source.send(InMemoryFrameSource.frame(4, 4, 0));
            assertNotNull(source.receive(2000));
            assertEquals(FrameResult.FAILED, source.outcomes.take(), "the producer learns the frame failed");
            source.send(InMemoryFrameSource.frame(4, 4, 0));
            assertNotNull(source.receive(2000));
            assertEquals(FrameResult.PROCESSED, source.outcomes.take());
            assertEquals(1, s.stats().errors());
            assertEquals(1, s.stats().frames());
            assertTrue(s.isOpen());
        }
    }

    @Test
    void aProducerThatGoesAwayEndsTheSessionAndReleasesTheSource() throws Exception {
        InMemoryFrameSource source = new InMemoryFrameSource();
        CompletableFuture<String> ended = new CompletableFuture<>();
        try (SessionManager manager = new SessionManager((name, limits) -> source, SessionPipelines.PASSTHROUGH, 2)) {
            Session s = manager.open("ch", FrameLimits.DEFAULT, (x, why) -> ended.complete(why));
            source.hangUp();
            assertTrue(ended.get(2, TimeUnit.SECONDS).contains("producer gone"));
            assertEquals(0, manager.openCount());
            for (int i = 0; i < 50 && !source.isClosed(); i++) {
                Thread.sleep(20);
            }
            assertTrue(source.isClosed());
            assertTrue(!s.isOpen());
        }
    }

    @Test
    void theSessionLimitIsEnforcedAndFreedWhenASessionEnds() {
        try (SessionManager manager =
                new SessionManager((name, limits) -> new InMemoryFrameSource(), SessionPipelines.PASSTHROUGH, 2)) {
            Session a = manager.open("a", FrameLimits.DEFAULT, (x, why) -> {});
            manager.open("b", FrameLimits.DEFAULT, (x, why) -> {});
            RequestRejected full = assertThrows(RequestRejected.class,
                    () -> manager.open("c", FrameLimits.DEFAULT, (x, why) -> {}));
            assertEquals(RequestRejected.Reason.LIMIT, full.reason());
            a.close();
            assertNotNull(manager.open("c", FrameLimits.DEFAULT, (x, why) -> {}));
        }
    }

    @Test
    void closingTheManagerEndsEverySessionWithTheReasonAndRefusesNewOnes() throws Exception {
        CompletableFuture<String> ended = new CompletableFuture<>();
        SessionManager manager =
                new SessionManager((name, limits) -> new InMemoryFrameSource(), SessionPipelines.PASSTHROUGH, 2);
        manager.open("a", FrameLimits.DEFAULT, (x, why) -> ended.complete(why));
        manager.close();
        assertEquals("engine shutting down", ended.get(2, TimeUnit.SECONDS));
        assertEquals(RequestRejected.Reason.UNAVAILABLE, assertThrows(RequestRejected.class,
                () -> manager.open("b", FrameLimits.DEFAULT, (x, why) -> {})).reason());
    }
}
