package app.deeplive.engine.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * From what a client sends (a file path or base64 bytes) to the identity in it: decode within limits, then find.
 * Faces found in files are remembered by the file's version on disk (path, size, modification time, file key): the
 * OBS filter sends its face mapping again with every settings change, and finding up to 16 × 2 faces afresh on each
 * slider move would take seconds. A file changed on disk is read again.
 */
public final class SourceFaceRequests {
    private static final int REMEMBERED_FILES = 64;

    private final SourceImages images;
    private final SourceFaceFinder finder;
    private final Map<FileVersion, SourceFace> byFile = new LinkedHashMap<>(16, 0.75f, true) { // guarded by itself
        @Override
        protected boolean removeEldestEntry(Map.Entry<FileVersion, SourceFace> eldest) {
            return size() > REMEMBERED_FILES;
        }
    };

    private record FileVersion(Path path, long size, FileTime modified, Object fileKey) {}

    public SourceFaceRequests(SourceImages images, SourceFaceFinder finder) {
        this.images = images;
        this.finder = finder;
    }

    public SourceFace fromPath(String path) {
        FileVersion version = versionOf(path);
        if (version != null) {
            synchronized (byFile) {
                SourceFace known = byFile.get(version);
                if (known != null) {
                    return known;
                }
            }
        }
        SourceFace found;
        try (Mat image = images.fromPath(path)) {
            found = finder.find(image);
        }
        if (version != null) {
            synchronized (byFile) {
                byFile.put(version, found);
            }
        }
        return found;
    }

    public SourceFace fromBase64(String base64) {
        try (Mat image = images.fromBase64(base64)) {
            return finder.find(image);
        }
    }

    /** The file's version on disk, or null when it cannot be read (reading it then gives the one-line error). */
    private static FileVersion versionOf(String path) {
        try {
            Path p = Path.of(path).toAbsolutePath().normalize();
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.isRegularFile() && Files.isReadable(p)
                    ? new FileVersion(p, a.size(), a.lastModifiedTime(), a.fileKey()) : null;
        } catch (IOException | InvalidPathException | SecurityException e) {
            return null;
        }
    }
}
