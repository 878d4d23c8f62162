package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A frame source for pipeline tests. Either endless (every acquire gets the next frame at once, like a producer far
 * faster than the pipeline) or fed by {@link #submit}; it records what came back, and fails the test on a frame
 * handed back twice or never lent. Allocation-free in endless mode, so the pipeline's own allocations can be measured.
 */
final class ScriptedIntake implements FrameIntake {
    private final FrameView view = FrameView.wrap(ByteBuffer.allocateDirect(4 * 4 * 4), 4, 4, 16, PixelFormat.BGRA);
    private final ByteBuffer pixels = view.pixels();
    private final boolean endless;
    private final boolean record;
    private final Object lock = new Object();
    private final SubmittedFrames submitted = new SubmittedFrames();
    private final Map<Long, FrameResult> returned = new HashMap<>();
    private final List<Long> returnOrder = new ArrayList<>();
    private long next = 1;
    private long lent;
    private volatile String error;
    private volatile boolean closed;

    private ScriptedIntake(boolean endless, boolean record) {
        this.endless = endless;
        this.record = record;
    }

    /** A producer that always has a newer frame. */
    static ScriptedIntake endless() {
        return new ScriptedIntake(true, true);
    }

    /** Endless and keeping no record: allocates nothing per frame. */
    static ScriptedIntake endlessUnrecorded() {
        return new ScriptedIntake(true, false);
    }

    /** Frames arrive only through {@link #submit}. */
    static ScriptedIntake fed() {
        return new ScriptedIntake(false, true);
    }

    void submit(long sequence) {
        submitted.submit(sequence);
    }

    /** The producer goes away: acquire throws from now on. */
    void end() {
        closed = true;
    }

    @Override
    public boolean acquire(LiveFrame into, long timeoutNanos) {
        if (closed) {
            throw new IntakeClosedException("producer gone");
        }
        long sequence = endless ? -1 : submitted.take(timeoutNanos);
        if (!endless && sequence < 0) {
            return false;
        }
        synchronized (lock) {
            if (endless) {
                sequence = next++;
            }
            lent++;
        }
        into.lend(view, pixels, sequence, System.nanoTime(), 0);
        return true;
    }

    @Override
    public void complete(LiveFrame frame, FrameResult outcome) {
        if (record) {
            synchronized (lock) {
                if (returned.put(frame.sequence(), outcome) != null) {
                    error = "frame " + frame.sequence() + " handed back twice";
                }
                returnOrder.add(frame.sequence());
            }
        }
        submitted.countHandedBack();
    }

    long lent() {
        synchronized (lock) {
            return lent;
        }
    }

    long handedBack() {
        return submitted.handedBack();
    }

    /** Waits until {@code count} frames came back; false on timeout. */
    boolean awaitHandedBack(long count, long millis) throws InterruptedException {
        return submitted.awaitHandedBack(count, millis);
    }

    Map<Long, FrameResult> returned() {
        synchronized (lock) {
            return new HashMap<>(returned);
        }
    }

    /** Sequences of the frames handed back with {@code outcome}, in the order they came back. */
    List<Long> returnedWith(FrameResult outcome) {
        synchronized (lock) {
            return returnOrder.stream().filter(s -> returned.get(s) == outcome).toList();
        }
    }

    String error() {
        return error;
    }
}
