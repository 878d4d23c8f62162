package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.image.FrameView;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * The reusable work item that carries one frame through the stages: the frame's view (lent by the intake) and
 * each stage's per-frame state ({@link FrameSlot}s). A pipeline owns a fixed pool of these;
 * nothing is allocated per frame. Fields are written by one stage at a time; the hand-off queues between stages
 * publish them to the next.
 */
public final class LiveFrame {
    private final Object[] slots;
    private FrameView view;
    private ByteBuffer pixels;
    private long sequence;
    private long timestampNanos;
    private int handle;
    private long enteredNanos;
    private boolean lent;
    private boolean failed;
    private boolean failedWhileWriting;
    private boolean skipRest;
    private boolean unswapped;
    private boolean abandoned;

    LiveFrame(int slotCount) {
        this.slots = new Object[slotCount];
    }

    /**
     * Called by a {@link FrameIntake}: this item now carries {@code frame}.
     *
     * @param pixels the frame's pixels from position 0 (typically {@code frame.pixels()}, kept by the intake so that
     *     lending allocates nothing); stages use absolute gets and puts only
     * @param handle the intake's own token for the frame (e.g. its shared-memory slot), read back in complete
     */
    public void lend(FrameView frame, ByteBuffer pixels, long sequence, long timestampNanos, int handle) {
        this.view = frame;
        this.pixels = pixels;
        this.sequence = sequence;
        this.timestampNanos = timestampNanos;
        this.handle = handle;
        this.lent = true;
    }

    /** The frame, in place (shared memory in production). Valid until the frame is completed. */
    public FrameView view() {
        return view;
    }

    /** The frame's pixels (row {@code y} starts at {@code y * view().stride()}); absolute access only. */
    public ByteBuffer pixels() {
        return pixels;
    }

    /** The producer's frame number. */
    public long sequence() {
        return sequence;
    }

    /** The producer's timestamp (monotonic nanoseconds). */
    public long timestampNanos() {
        return timestampNanos;
    }

    public int handle() {
        return handle;
    }

    /** When the pipeline took the frame from its intake ({@link System#nanoTime()}). */
    public long enteredNanos() {
        return enteredNanos;
    }

    /** This frame's value of a stage's slot. */
    @SuppressWarnings("unchecked")
    public <T> T get(FrameSlot<T> slot) {
        return (T) slots[slot.index()];
    }

    /** Whether a stage failed on this frame (later stages skip it). */
    public boolean failed() {
        return failed;
    }

    /**
     * Lets a stage say the rest of the pipeline has nothing to do (no face): later stages skip the frame and it goes
     * back unchanged, without counting as a failure.
     */
    public void skipRemainingStages() {
        skipRest = true;
    }

    /**
     * Lets a stage say the frame goes back as it came although it may show faces (no identity to swap them with, a
     * frame the session refuses): later stages skip it and it goes back {@link FrameResult#UNSWAPPED}, so the
     * producer never shows it as a swapped frame.
     */
    public void leaveUnswapped() {
        skipRest = true;
        unswapped = true;
    }

    boolean skipsRemainingStages() {
        return failed || skipRest || abandoned;
    }

    void abandon() {
        abandoned = true;
    }

    boolean abandoned() {
        return abandoned;
    }

    boolean isLent() {
        return lent;
    }

    void entered(long nanos) {
        enteredNanos = nanos;
        failed = false;
        failedWhileWriting = false;
        skipRest = false;
        unswapped = false;
        abandoned = false;
    }

    void fail(boolean whileWriting) {
        failed = true;
        failedWhileWriting |= whileWriting;
    }

    FrameResult outcome() {
        if (failedWhileWriting) {
            return FrameResult.FAILED;
        }
        if (failed || abandoned) {
            return FrameResult.SKIPPED;
        }
        if (unswapped) {
            return FrameResult.UNSWAPPED;
        }
        return skipRest ? FrameResult.UNCHANGED : FrameResult.PROCESSED;
    }

    void returned() {
        lent = false;
        view = null;
        pixels = null;
    }

    void install(int index, Supplier<?> factory) {
        slots[index] = factory.get();
    }
}
