package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StagedPipelineTest {

    private static Stage sleepUpTo(int micros) {
        return frame -> {
            int us = ThreadLocalRandom.current().nextInt(micros + 1);
            Thread.sleep(us / 1000, (us % 1000) * 1000);
        };
    }

    private static Stage sleep(int millis) {
        return frame -> Thread.sleep(millis);
    }

    @ParameterizedTest(name = "queue capacity {0}")
    @ValueSource(ints = {1, 2})
    void framesLeaveInTheOrderTheyCameWhileStagesRunConcurrently(int capacity) throws Exception {
        ScriptedIntake intake = ScriptedIntake.endless();
        AtomicInteger overlap = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        Stage counting = frame -> {
            if (busy.incrementAndGet() > 1) {
                overlap.incrementAndGet();
            }
            Thread.sleep(0, 300_000);
            busy.decrementAndGet();
        };
        try (StagedPipeline pipeline = StagedPipeline.builder("order", intake).queueCapacity(capacity)
                .stage(StageSpec.reading("analysis", counting))
                .stage(StageSpec.reading("swap", sleepUpTo(1500)))
                .stage(StageSpec.reading("enhance", counting))
                .stage(StageSpec.writing("composite", sleepUpTo(800)))
                .build().start()) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (intake.returnedWith(FrameResult.PROCESSED).size() < 150 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
        }
        List<Long> processed = intake.returnedWith(FrameResult.PROCESSED);
        assertTrue(processed.size() >= 150, "processed " + processed.size());
        for (int i = 1; i < processed.size(); i++) {
            assertTrue(processed.get(i) > processed.get(i - 1), "frame " + processed.get(i) + " left after "
                    + processed.get(i - 1));
        }
        assertTrue(overlap.get() > 0, "analysis and enhance never ran at the same time on different frames");
        assertEquals(intake.lent(), intake.handedBack(), "every frame taken is handed back");
        assertNull(intake.error());
    }

    @Test
    void underOverloadTheEntryDropsOlderFramesAndTheLatestFrameWins() throws Exception {
        ScriptedIntake intake = ScriptedIntake.fed();
        int frames = 200;
        StagedPipeline pipeline = StagedPipeline.builder("overload", intake)
                .stage(StageSpec.reading("analysis", sleep(2)))
                .stage(StageSpec.writing("slow", sleep(10)))
                .build().start();
        try {
            for (long s = 1; s <= frames; s++) {
                intake.submit(s); // about 1000 frames a second into a pipeline that does about 100
                Thread.sleep(1);
            }
            assertTrue(intake.awaitHandedBack(frames, 10_000), "handed back " + intake.handedBack());
            PipelineStats stats = pipeline.stats();
            Map<Long, FrameResult> returned = intake.returned();
            assertEquals(frames, returned.size(), "every frame comes back exactly once");
            assertEquals(FrameResult.PROCESSED, returned.get((long) frames), "the newest frame is never dropped");
            long skipped = intake.returnedWith(FrameResult.SKIPPED).size();
            assertEquals(skipped, stats.dropped(), "each frame handed back unprocessed is counted as dropped");
            assertTrue(stats.dropped() > frames / 2, "dropped only " + stats.dropped());
            assertEquals(frames, stats.completed() + stats.dropped());
            // Bounded latency: a frame waits for at most the frames already inside (tens of ms), never for a backlog
            // (a queue of these 200 frames would make the last ones wait about 2 s).
            assertTrue(stats.latencyP99Millis() < 500, "p99 " + stats.latencyP99Millis() + " ms");
        } finally {
            pipeline.close();
        }
        assertNull(intake.error());
    }

    @Test
    void aFrameWaitsForTheSlowestStageAtTheEntryWhereANewerOneCanReplaceItNotInFrontOfThatStage() throws Exception {
        // Analysis 2 ms, slow 40 ms, tail 5 ms. Let in as soon as a frame leaves, a frame would finish analysis and
        // then wait about 33 ms for the slow stage; let in just in time (JustInTime), a millisecond or two. The
        // wide gap keeps this about where frames wait, not a timing benchmark.
        ScriptedIntake intake = ScriptedIntake.endless();
        java.util.concurrent.atomic.AtomicLong analysed = new java.util.concurrent.atomic.AtomicLong();
        List<Long> waits = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (StagedPipeline pipeline = StagedPipeline.builder("just-in-time", intake)
                .stage(StageSpec.reading("analysis", frame -> {
                    Thread.sleep(2);
                    analysed.set(System.nanoTime());
                }))
                .stage(StageSpec.reading("slow", frame -> {
                    waits.add(System.nanoTime() - analysed.get());
                    Thread.sleep(40);
                }))
                .stage(StageSpec.writing("tail", sleep(5)))
                .build().start()) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (waits.size() < 60 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
        }
        List<Long> measured = new java.util.ArrayList<>(waits.subList(20, Math.max(20, waits.size()))); // settled
        java.util.Collections.sort(measured);
        assertTrue(measured.size() >= 30, "only " + waits.size() + " frames reached the slow stage");
        double medianMillis = measured.get(measured.size() / 2) / 1e6;
        assertTrue(medianMillis < 15, "frames waited " + medianMillis + " ms (median) in front of the slow stage");
        assertNull(intake.error());
    }

    @Test
    void aFrameThatFailsInAStagePassesThroughUnchangedAndTheStreamGoesOn() throws Exception {
        ScriptedIntake intake = ScriptedIntake.fed();
        AtomicInteger composited = new AtomicInteger();
        try (StagedPipeline pipeline = StagedPipeline.builder("failing", intake)
                .stage(StageSpec.reading("swap", frame -> {
                    if (frame.sequence() % 2 == 1) {
                        throw new IllegalStateException("model run failed");
                    }
                }))
                .stage(StageSpec.writing("composite", frame -> {
                    composited.incrementAndGet();
                    if (frame.sequence() == 4) {
                        throw new IllegalStateException("out of memory half-way");
                    }
                }))
                .build().start()) {
            for (long s = 1; s <= 6; s++) {
                intake.submit(s);
                assertTrue(intake.awaitHandedBack(s, 5_000));
            }
            PipelineStats stats = pipeline.stats();
            assertEquals(3, stats.stages().get(0).failures());
            assertEquals(1, stats.stages().get(1).failures());
            assertEquals(4, stats.failed());
        }
        Map<Long, FrameResult> returned = intake.returned();
        assertEquals(FrameResult.SKIPPED, returned.get(1L), "a read-only stage failed: untouched, and not to be shown");
        assertEquals(FrameResult.PROCESSED, returned.get(2L));
        assertEquals(FrameResult.FAILED, returned.get(4L), "the writing stage failed part-way");
        assertEquals(FrameResult.PROCESSED, returned.get(6L));
        assertEquals(3, composited.get(), "later stages skip a failed frame");
    }

    /**
     * An Error (native memory exhausted, a deep recursion) fails its frame like an exception: the stage thread lives
     * on, so the frame is handed back and the stream goes on instead of the session freezing with a frame inside.
     */
    @Test
    void anErrorInAStageFailsItsFrameAndTheStreamGoesOn() throws Exception {
        ScriptedIntake intake = ScriptedIntake.fed();
        try (StagedPipeline pipeline = StagedPipeline.builder("erring", intake)
                .stage(StageSpec.reading("swap", frame -> {
                    if (frame.sequence() == 1) {
                        throw new StackOverflowError("deep");
                    }
                }))
                .stage(StageSpec.writing("composite", frame -> {
                    if (frame.sequence() == 2) {
                        throw new OutOfMemoryError("native working image");
                    }
                }))
                .build().start()) {
            for (long s = 1; s <= 3; s++) {
                intake.submit(s);
                assertTrue(intake.awaitHandedBack(s, 5_000), "frame " + s + " handed back");
            }
            assertEquals(2, pipeline.stats().failed());
        }
        Map<Long, FrameResult> returned = intake.returned();
        assertEquals(FrameResult.SKIPPED, returned.get(1L));
        assertEquals(FrameResult.FAILED, returned.get(2L));
        assertEquals(FrameResult.PROCESSED, returned.get(3L));
    }

    @Test
    void aStageCanEndAFramesWorkEarlyWithoutItCountingAsAFailure() throws Exception {
        ScriptedIntake intake = ScriptedIntake.fed();
        AtomicInteger composited = new AtomicInteger();
        try (StagedPipeline pipeline = StagedPipeline.builder("noface", intake)
                .stage(StageSpec.reading("analysis", LiveFrame::skipRemainingStages))
                .stage(StageSpec.writing("composite", frame -> composited.incrementAndGet()))
                .build().start()) {
            intake.submit(1);
            assertTrue(intake.awaitHandedBack(1, 5_000));
            assertEquals(1, pipeline.stats().completed());
            assertEquals(0, pipeline.stats().failed());
        }
        assertEquals(FrameResult.UNCHANGED, intake.returned().get(1L));
        assertEquals(0, composited.get());
    }

    @Test
    void closingWithFramesInFlightHandsEachOneBackExactlyOnce() throws Exception {
        ScriptedIntake intake = ScriptedIntake.endless();
        StagedPipeline pipeline = StagedPipeline.builder("shutdown", intake).queueCapacity(2)
                .stage(StageSpec.reading("a", sleep(15)))
                .stage(StageSpec.reading("b", sleep(15)))
                .stage(StageSpec.writing("c", sleep(15)))
                .build().start();
        Thread.sleep(120); // every stage and queue holds a frame now
        pipeline.close();
        assertFalse(pipeline.isRunning());
        for (Thread t : pipeline.threads()) {
            assertFalse(t.isAlive(), t.getName() + " still running");
        }
        assertEquals(intake.lent(), intake.handedBack(), "frames lent and handed back");
        assertEquals(intake.lent(), intake.returned().size());
        assertTrue(pipeline.stats().abandoned() > 0, "nothing was in flight");
        assertNull(intake.error());
        assertEquals("closed", pipeline.endReason());
    }

    @Test
    void whenTheProducerGoesAwayThePipelineStopsAndReturnsWhatItHeld() throws Exception {
        ScriptedIntake intake = ScriptedIntake.fed();
        StringBuilder reason = new StringBuilder();
        try (StagedPipeline pipeline = StagedPipeline.builder("gone", intake)
                .onEnd(reason::append)
                .stage(StageSpec.writing("composite", sleep(30)))
                .build().start()) {
            intake.submit(1);
            intake.submit(2);
            Thread.sleep(10);
            intake.end();
            long deadline = System.currentTimeMillis() + 5_000;
            while (pipeline.isRunning() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertFalse(pipeline.isRunning());
        }
        assertEquals(intake.lent(), intake.handedBack());
        assertTrue(reason.toString().contains("producer gone"), reason.toString());
    }

    @Test
    void theEntryHandOffsAndExitAllocateNothingPerFrame() throws Exception {
        ScriptedIntake intake = ScriptedIntake.endlessUnrecorded();
        Stage noop = frame -> { };
        try (StagedPipeline pipeline = StagedPipeline.builder("alloc", intake)
                .stage(StageSpec.reading("a", noop))
                .stage(StageSpec.reading("b", noop))
                .stage(StageSpec.writing("c", noop))
                .build().start()) {
            while (intake.handedBack() < 20_000) {
                Thread.sleep(5); // warm up: JIT compilation settles
            }
            long before = allocated(pipeline.threads());
            long framesBefore = intake.handedBack();
            while (intake.handedBack() < framesBefore + 50_000) {
                Thread.sleep(5);
            }
            long bytes = allocated(pipeline.threads()) - before;
            long frames = intake.handedBack() - framesBefore;
            assertTrue(bytes < frames, bytes + " bytes allocated over " + frames + " frames");
        }
    }

    static long allocated(List<Thread> threads) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : threads) {
            sum += mx.getThreadAllocatedBytes(t.getId());
        }
        return sum;
    }
}
