package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Lends fresh copies of one BGRA frame, one per {@link #submit}, from a ring of buffers (like a channel's slots),
 * and keeps what came back for inspection. Lending allocates nothing.
 */
final class PhotoIntake implements FrameIntake {
    final ByteBuffer original;
    final int width;
    final int height;
    private final ByteBuffer[] slots;
    private final ByteBuffer[] pixels;
    private final FrameView[] views;
    private final Object lock = new Object();
    private final SubmittedFrames submitted = new SubmittedFrames();
    private final Map<Long, FrameResult> outcomes = new HashMap<>();
    private final Map<Long, ByteBuffer> results = new HashMap<>();
    private final boolean keepResults;

    PhotoIntake(ByteBuffer original, int width, int height, int slotCount, boolean keepResults) {
        this.original = original;
        this.width = width;
        this.height = height;
        this.keepResults = keepResults;
        slots = new ByteBuffer[slotCount];
        pixels = new ByteBuffer[slotCount];
        views = new FrameView[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = ByteBuffer.allocateDirect(original.capacity());
            views[i] = FrameView.wrap(slots[i], width, height, width * 4, PixelFormat.BGRA);
            pixels[i] = views[i].pixels();
        }
    }

    void submit(long sequence) {
        submitted.submit(sequence);
    }

    @Override
    public boolean acquire(LiveFrame into, long timeoutNanos) {
        long sequence = submitted.take(timeoutNanos);
        if (sequence < 0) {
            return false;
        }
        int slot = (int) (sequence % slots.length);
        slots[slot].put(0, original, 0, original.capacity());
        into.lend(views[slot], pixels[slot], sequence, System.nanoTime(), slot);
        return true;
    }

    @Override
    public void complete(LiveFrame frame, FrameResult outcome) {
        synchronized (lock) {
            if (outcomes.put(frame.sequence(), outcome) != null) {
                throw new AssertionError("frame " + frame.sequence() + " handed back twice");
            }
            if (keepResults) {
                ByteBuffer copy = ByteBuffer.allocate(original.capacity());
                copy.put(0, slots[frame.handle()], 0, original.capacity());
                results.put(frame.sequence(), copy);
            }
        }
        submitted.countHandedBack();
    }

    boolean awaitHandedBack(long count, long millis) throws InterruptedException {
        return submitted.awaitHandedBack(count, millis);
    }

    FrameResult outcome(long sequence) {
        synchronized (lock) {
            return outcomes.get(sequence);
        }
    }

    ByteBuffer result(long sequence) {
        synchronized (lock) {
            return results.get(sequence);
        }
    }
}
