package app.deeplive.engine.live;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's CPU priority, for work that may wait while the per-frame stages may not. Java thread
 * priorities do nothing on Linux; the kernel's nice value does, and on Linux it is per thread:
 * {@code setpriority(PRIO_PROCESS, 0, n)} changes only the calling thread. Elsewhere, or if the call fails, the
 * thread keeps its priority (logged once): it is an optimisation, never a requirement.
 */
final class ThreadPriority {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadPriority.class);
    private static final int PRIO_PROCESS = 0;

    private ThreadPriority() {}

    private static final class LibC {
        static final boolean LOADED = load();

        static native int setpriority(int which, int who, int prio);

        static native int getpriority(int which, int who);

        private static boolean load() {
            if (!Platform.isLinux()) {
                return false;
            }
            try {
                Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
                return true;
            } catch (UnsatisfiedLinkError e) {
                LOG.info("thread priorities are left as they are: {}", e.getMessage());
                return false;
            }
        }
    }

    /**
     * Makes the calling thread yield to normal threads: nice {@code niceness} (1..19), or leaves it where it is if
     * it is already that low (raising it back would need privileges). False if not possible here.
     */
    static boolean lowerCurrent(int niceness) {
        if (!LibC.LOADED) {
            return false;
        }
        if (LibC.getpriority(PRIO_PROCESS, 0) >= niceness) {
            return true;
        }
        return LibC.setpriority(PRIO_PROCESS, 0, niceness) == 0;
    }
}
