package app.deeplive.engine.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Keeps OpenCV's own log lines off the user's terminal: a corrupt GIF or TIFF makes OpenCV print its assertion text
 * ("grfmt_gif.cpp:508: error: (-215:Assertion failed)", "TIFF_Error …") to stderr before the engine's one-line error
 * says what to do. OpenCV reads {@code OPENCV_LOG_LEVEL} when it first logs, so it is set here, at start, before any
 * image is read. A level the user set is kept, and {@code DLF_DEBUG=1} keeps OpenCV's errors for a bug report.
 */
final class NativeLogQuiet {
    static final String VARIABLE = "OPENCV_LOG_LEVEL";

    private interface C extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private NativeLogQuiet() {}

    /** Sets OpenCV's log level to SILENT (ERROR with DLF_DEBUG=1) unless the environment names one. */
    static void apply() {
        if (System.getenv(VARIABLE) != null) {
            return;
        }
        String level = "1".equals(System.getenv("DLF_DEBUG")) ? "ERROR" : "SILENT";
        try {
            Native.load("c", C.class).setenv(VARIABLE, level, 0);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // Without libc's setenv (not Linux) OpenCV keeps its default level: its lines show, nothing breaks.
        }
    }
}
