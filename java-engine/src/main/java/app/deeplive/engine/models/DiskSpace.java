package app.deeplive.engine.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How many bytes can still be written under a directory; injected so tests can simulate a full disk. */
@FunctionalInterface
public interface DiskSpace {
    long usableBytes(Path dir) throws IOException;

    DiskSpace FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();
}
