package app.deeplive.engine.models;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the files downloads and extractions write to; tests swap in one whose disk fills up. */
@FunctionalInterface
public interface FileSink {
    /** Opens {@code file} for writing, appending to what is there or starting it afresh. */
    OutputStream open(Path file, boolean append) throws IOException;

    FileSink FILES = (file, append) -> Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);

    /** Whether an exception from writing means the disk is full (Linux/macOS ENOSPC, Windows' wording). */
    static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("not enough space on the disk"))) {
                return true;
            }
        }
        return false;
    }
}
