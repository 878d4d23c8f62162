package app.deeplive.engine.track;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether OpenCV's optical flow can run on this machine, checked once. JavaCPP's {@code opencv_video} module loads
 * the modules it inherits first, {@code highgui} among them, and highgui links GTK 2 ({@code libgtk-x11-2.0.so.0}):
 * where GTK 2 is not installed (a headless machine, a desktop without GTK 2) the module cannot load, and every
 * frame that follows faces by their flow would fail. Faces are then found by the detector on every frame instead:
 * the same swap, at the detector's cost per frame.
 */
public final class OpticalFlow {
    private static final Logger LOG = LoggerFactory.getLogger(OpticalFlow.class);
    private static final String MODULE = "org.bytedeco.opencv.global.opencv_video";
    private static final String PROBLEM = probe();

    private OpticalFlow() {}

    /** True when faces can be followed between detections. */
    public static boolean available() {
        return PROBLEM == null;
    }

    /** The one-line reason it is not available and how to fix it, or null. */
    public static String problem() {
        return PROBLEM;
    }

    private static String probe() {
        try {
            Class.forName(MODULE, true, OpticalFlow.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            String problem = "face tracking by optical flow is unavailable (OpenCV's video module did not load: "
                    + rootMessage(e) + "); install GTK 2 (Debian/Ubuntu: sudo apt-get install libgtk2.0-0) for it. "
                    + "Until then faces are detected on every frame, which costs more per frame";
            LOG.debug("optical flow probe", e);
            return problem;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
