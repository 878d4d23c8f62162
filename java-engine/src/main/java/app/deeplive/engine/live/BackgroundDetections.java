package app.deeplive.engine.live;

import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.detect.DetectorInput;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.pipeline.FaceDetections;
import app.deeplive.engine.track.DetectionRound;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Face detection on a thread of its own, beside a live session's stages. Detection is the one step whose cost is
 * uneven (tens of milliseconds every few frames, nothing in between); inside the analysis stage it would stall
 * every frame behind it. Here the analysis stage only copies the frame, resized to the detector's input (about a
 * millisecond), and goes on following the faces by their optical flow; the round comes back a few frames later and
 * the tracker brings it forward. One request at a time: while the detector is busy, requests are refused and the
 * caller asks again on a later frame. With nothing to follow (no face yet) or a face lost, the analysis stage waits
 * for its own frame's round instead ({@link #detectNow}), so a real face is never let through for want of a look.
 */
public final class BackgroundDetections implements FaceDetections {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundDetections.class);
    private static final long JOIN_MILLIS = 10_000;
    private static final int DETECTOR_NICENESS = 10;

    private final ScrfdDetector detector;
    private final DetectorInput input;
    private final Thread thread;
    private final Object lock = new Object();
    private final AtomicReference<DetectionRound> done = new AtomicReference<>();
    private boolean busy; // guarded by lock
    private long requestedFrame; // guarded by lock
    private boolean closed; // guarded by lock
    private volatile long busyNanos;
    private volatile long rounds;
    private volatile long failures;

    /**
     * Starts the detection thread.
     *
     * @param detector shared with others: each run holds its lock (the wrapper's buffers are one caller's at a time)
     */
    public BackgroundDetections(String name, ScrfdDetector detector) {
        this.detector = detector;
        this.input = detector.newInput();
        this.thread = new Thread(this::run, name + "-detect");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean request(FrameView frame, long frameNumber) {
        synchronized (lock) {
            if (busy || closed) {
                return false;
            }
        }
        input.fill(frame); // the detector thread is idle: the input is this thread's until handed over below
        synchronized (lock) {
            if (closed) {
                return false;
            }
            requestedFrame = frameNumber;
            busy = true;
            lock.notifyAll();
        }
        return true;
    }

    @Override
    public DetectionRound detectNow(FrameView frame, long frameNumber) {
        try {
            synchronized (lock) {
                while (busy && !closed) {
                    lock.wait(); // an earlier round: this frame's is newer, so that one will not be needed
                }
                if (closed) {
                    return null;
                }
            }
            input.fill(frame);
            synchronized (lock) {
                requestedFrame = frameNumber;
                busy = true;
                lock.notifyAll();
                while (busy && !closed) {
                    lock.wait();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        DetectionRound round = done.getAndSet(null);
        return round != null && round.frame() == frameNumber ? round : null;
    }

    @Override
    public boolean immediate() {
        return false;
    }

    @Override
    public DetectionRound poll() {
        return done.getAndSet(null);
    }

    /** Time the detector spent on this session's frames. */
    public long busyNanos() {
        return busyNanos;
    }

    /** Finished detection rounds. */
    public long rounds() {
        return rounds;
    }

    /** Detector runs that failed (logged; the faces are followed by their flow meanwhile). */
    public long failures() {
        return failures;
    }

    /** Stops the thread (after the run in progress, if any) and frees the input copy. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {} s; its input buffer is left to the garbage collector",
                    thread.getName(), JOIN_MILLIS / 1000);
            return;
        }
        input.close();
    }

    private void run() {
        // Per-frame stages first: on a busy CPU a late round only means the flow follows a little longer.
        ThreadPriority.lowerCurrent(DETECTOR_NICENESS);
        while (true) {
            long frame;
            synchronized (lock) {
                while (!busy && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                frame = requestedFrame;
            }
            long t0 = System.nanoTime();
            try {
                List<Face> faces;
                synchronized (detector) {
                    faces = detector.detect(input);
                }
                long took = System.nanoTime() - t0;
                done.set(new DetectionRound(frame, faces, took));
                rounds = rounds + 1;
            } catch (RuntimeException e) {
                failures = failures + 1;
                if (failures == 1 || Long.bitCount(failures) == 1) { // 1st, 2nd, 4th, 8th …: visible, not a flood
                    LOG.warn("{}: face detection failed ({} so far): {}", thread.getName(), failures, e.getMessage());
                }
            } finally {
                busyNanos = busyNanos + (System.nanoTime() - t0);
                synchronized (lock) {
                    busy = false;
                    lock.notifyAll();
                }
            }
        }
    }
}
