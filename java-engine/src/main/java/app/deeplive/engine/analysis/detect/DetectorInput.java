package app.deeplive.engine.analysis.detect;

import app.deeplive.engine.image.FrameView;

/**
 * A frame fitted to a detector's input (resized, aspect kept: a few hundred kilobytes, not the frame), kept so the
 * detector can look at it later, on another thread, after the frame itself has moved on. Reused: {@link #fill}
 * replaces the content. Not thread-safe; hand it over with a happens-before edge. Make it with
 * {@link ScrfdDetector#newInput()} (or with the detector's input size).
 */
public final class DetectorInput implements AutoCloseable {
    final Letterbox letterbox;
    private boolean filled;

    public DetectorInput(int size) {
        this.letterbox = new Letterbox(size, size);
    }

    /** Copies {@code frame}, resized to the detector's input, into this input. */
    public void fill(FrameView frame) {
        letterbox.fit(frame);
        filled = true;
    }

    boolean filled() {
        return filled;
    }

    @Override
    public void close() {
        letterbox.close();
    }
}
