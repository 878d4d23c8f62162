package app.deeplive.engine.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a frame is let in: just in time for the slowest stage, never so late that it idles. */
class JustInTimeTest {
    private static final long MS = 1_000_000;

    @Test
    void beforeAnythingIsMeasuredFramesGoIn() {
        assertTrue(JustInTime.admits(0, 0, 3, 5 * MS));
    }

    @Test
    void anIdleSlowestStageWithNothingOnItsWayTakesAFrameAtOnce() {
        assertTrue(JustInTime.admits(20 * MS, 2 * MS, 0, -1));
    }

    @Test
    void withQuickStagesBeforeItAFrameWaitsUntilTheSlowestStageIsAlmostFree() {
        // analysis 2 ms, then a 20 ms stage: let in when at most 1.25·2 + 1 = 3.5 ms of it remain.
        assertFalse(JustInTime.admits(20 * MS, 2 * MS, 0, 10 * MS), "10 ms remain: it would age 8 ms in the queue");
        assertTrue(JustInTime.admits(20 * MS, 2 * MS, 0, 17 * MS), "3 ms remain: just in time");
        assertFalse(JustInTime.admits(20 * MS, 2 * MS, 1, 19 * MS), "one is on its way already");
    }

    @Test
    void whenTheStagesBeforeItTakeLongerSeveralFramesAreOnTheirWayAtOnce() {
        // 8 + 12 + 6 ms before a 16 ms stage: frames must overlap upstream, one slowest-stage period apart, or the
        // pipeline would run at 1/26 ms instead of 1/16 ms.
        assertTrue(JustInTime.admits(16 * MS, 26 * MS, 1, 6 * MS), "10 + 16 ms queued < 33.5 ms");
        assertTrue(JustInTime.admits(16 * MS, 26 * MS, 2, 16 * MS), "0 + 32 ms queued");
        assertFalse(JustInTime.admits(16 * MS, 26 * MS, 2, 6 * MS), "10 + 32 ms queued: too early");
    }

    @Test
    void aStageRunningOverItsUsualTimeCountsAsAboutToFinish() {
        assertTrue(JustInTime.admits(20 * MS, 2 * MS, 0, 45 * MS));
    }
}
