package app.deeplive.engine.cli;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops {@code serve} when the process that started it ends: OBS passes its own pid with {@code --owner-pid}, so an
 * engine whose OBS crashed or was killed (no module unload, so no stop request) does not live on holding its port,
 * its token and the GPU. {@link ProcessHandle} compares start times, so a reused pid is not mistaken for the owner.
 * A dead owner that nobody has reaped yet (a zombie) still counts as alive there, so when the owner is this engine's
 * parent, as it is when OBS starts it, the engine being handed to another parent also means the owner has ended.
 */
final class OwnerWatch {
    private static final Logger log = LoggerFactory.getLogger(OwnerWatch.class);
    /** How often the owner is looked at: a second is quick for a person, and a /proc read costs nothing. */
    static final long POLL_MILLIS = 1000;

    private OwnerWatch() {}

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** The running process with this pid, or empty when there is none (it has ended already). */
    static Optional<ProcessHandle> find(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /** Runs {@code stop} once, from a daemon thread, when {@code owner} has ended. */
    static void onEnd(ProcessHandle owner, Runnable stop) {
        boolean ownerIsParent = parentPid() == owner.pid();
        Thread watch = new Thread(() -> {
            try {
                while (owner.isAlive() && (!ownerIsParent || parentPid() == owner.pid())) {
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
            log.warn("the process that started this engine (pid {}) has ended: stopping", owner.pid());
            stop.run();
        }, "owner-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
