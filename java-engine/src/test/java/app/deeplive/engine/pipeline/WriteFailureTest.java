package app.deeplive.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteFailureTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsCalledAFullDisk() {
        assertEquals("the disk is full (12 KiB free in " + dir + "): free some space or write elsewhere",
                WriteFailure.why(dir.resolve("out.mp4"), folder -> 12 * 1024));
    }

    @Test
    void withSpaceLeftItPointsAtTheFolder() {
        assertEquals("check that folder " + dir + " is writable and has space",
                WriteFailure.why(dir.resolve("out.png"), folder -> 1L << 40));
    }

    @Test
    void spaceThatCannotBeReadIsNotMistakenForAFullDisk() {
        assertEquals("check that folder " + dir + " is writable and has space",
                WriteFailure.why(dir.resolve("out.png"), folder -> {
                    throw new IOException("no file store");
                }));
    }
}
