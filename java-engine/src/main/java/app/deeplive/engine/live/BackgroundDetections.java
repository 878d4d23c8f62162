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
 * caller asks again on a later frame. With nothing to follow (no face yet) or a face lost, the analysis stage
 * detects its own frame there and then ({@link #detectNow}), so a real face is never let through for want of a look.
 */
public final class BackgroundDetections implements FaceDetections {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundDetections.class);
    private static final long JOIN_MILLIS = 10_000;
    private static final int DETECTOR_NICENESS = 10;

    private final ScrfdDetector detector; // the analysis stage's, for detectNow
    private final ScrfdDetector background; // the detector thread's own wrapper: neither waits for the other
    private final DetectorInput input;
    private final Thread thread;
    private final Object lock = new Object();
    private final AtomicReference<DetectionRound> done = new AtomicReference<>();
    private boolean busy; // guarded by lock
    private long requestedFrame; // guarded by lock
    private boolean closed; // guarded by lock
    private boolean dead; // guarded by lock: the thread has ended (closed, interrupted or killed by an error)
    /** Rounds of frames before this one were overtaken by a {@link #detectNow} and are dropped. */
    private volatile long supersededBefore;
    private volatile long busyNanos;
    private volatile long rounds;
    private volatile long failures;

    /**
     * Starts the detection thread, on a wrapper of its own over {@code detector}'s model: a wrapper runs one call at
     * a time, and the analysis stage's {@link #detectNow} must never wait behind the low-priority thread.
     *
     * @param detector the analysis stage's (the caller keeps it)
     */
    public BackgroundDetections(String name, ScrfdDetector detector) {
        this.detector = detector;
        this.background = detector.forAnotherCaller();
        this.input = background.newInput();
        this.thread = new Thread(this::run, name + "-detect");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean request(FrameView frame, long frameNumber) {
        synchronized (lock) {
            if (busy || closed || dead) {
                return false;
            }
        }
        input.fill(frame); // the detector thread is idle: the input is this thread's until handed over below
        synchronized (lock) {
            if (closed || dead) {
                return false;
            }
            requestedFrame = frameNumber;
            busy = true;
            lock.notifyAll();
        }
        return true;
    }

    /**
     * Detects on the calling thread (not on the detector's, which runs at a lower priority: the caller is a
     * per-frame stage and must not wait behind it); a round still in flight for an earlier frame is dropped.
     */
    @Override
    public DetectionRound detectNow(FrameView frame, long frameNumber) {
        synchronized (lock) {
            if (closed) {
                return null;
            }
        }
        supersededBefore = frameNumber;
        return FaceDetections.detectHere(detector, frame, frameNumber); // beside a run of the detector thread
    }

    @Override
    public boolean immediate() {
        return false;
    }

    @Override
    public DetectionRound poll() {
        DetectionRound round = done.getAndSet(null);
        return round == null || round.frame() < supersededBefore ? null : round;
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

    /** Stops the thread (after the run in progress, if any) and frees the input copy and its wrapper. */
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
        background.close();
    }

    private void run() {
        try {
            // Per-frame stages first: on a busy CPU a late round only means the flow follows a little longer.
            ThreadPriority.lowerCurrent(DETECTOR_NICENESS);
            while (true) {
                long frame;
                synchronized (lock) {
                    while (!busy && !closed) {
                        lock.wait();
                    }
                    if (closed) {
                        return;
                    }
                    frame = requestedFrame;
                }
                detectOnce(frame);
            }
        } catch (InterruptedException e) {
            LOG.warn("{} was interrupted; detection goes on only where a frame waits for it", thread.getName());
        } finally {
            synchronized (lock) {
                dead = true; // requests are refused from now on, instead of waiting for a thread that is gone
                busy = false;
                lock.notifyAll();
            }
        }
    }

    private void detectOnce(long frame) {
        long t0 = System.nanoTime();
        try {
            List<Face> faces = background.detect(input);
            done.set(new DetectionRound(frame, faces, System.nanoTime() - t0));
            rounds = rounds + 1;
        } catch (RuntimeException | LinkageError | AssertionError | OutOfMemoryError e) {
            // Whatever one frame does to the detector, the thread stays: the next request may well succeed.
            failures = failures + 1;
            if (failures == 1 || Long.bitCount(failures) == 1) { // 1st, 2nd, 4th, 8th …: visible, not a flood
                LOG.warn("{}: face detection failed ({} so far): {}", thread.getName(), failures, e.toString());
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
