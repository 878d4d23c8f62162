package app.deeplive.engine.pipeline;

import app.deeplive.engine.models.DiskSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why writing an output file failed, in words a user can act on. OpenCV's and FFmpeg's writers only say that they
 * failed, so the folder is looked at afterwards: a full disk is told apart from a folder that cannot be written.
 */
final class WriteFailure {
    /** With less than this free, a failed write is put down to a full disk (a frame or a packet did not fit). */
    static final long NEARLY_FULL_BYTES = 16L << 20;

    private WriteFailure() {}

    /** Whether the folder has so little space left that a write into it may have been cut short. */
    static boolean nearlyFull(Path dir, DiskSpace space) {
        long free = freeBytes(dir, space);
        return free >= 0 && free < NEARLY_FULL_BYTES;
    }

    /** What went wrong writing {@code output} and what to do, e.g. "the disk is full (12 KiB free in /x): …". */
    static String why(Path output, DiskSpace space) {
        Path dir = output.toAbsolutePath().getParent();
        long free = freeBytes(dir, space);
        if (free >= 0 && free < NEARLY_FULL_BYTES) {
            return "the disk is full (" + free / 1024 + " KiB free in " + dir + "): free some space or write elsewhere";
        }
        if (!Files.isWritable(dir)) {
            return "folder " + dir + " is not writable: choose another --output";
        }
        return "check that folder " + dir + " is writable and has space";
    }

    /** The bytes still writable under {@code dir}, or −1 when that cannot be read. */
    private static long freeBytes(Path dir, DiskSpace space) {
        try {
            return space.usableBytes(dir.toAbsolutePath());
        } catch (IOException e) {
            return -1;
        }
    }
}
