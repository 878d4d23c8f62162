package app.deeplive.engine.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells the state of each model's file: cheaply from what the lock file recorded ({@link #recorded}), or by
 * hashing it ({@link #verify}, which records the result in the lock file for the caller to save).
 */
public final class ModelInventory {
    /** FAT's two-second clock is the coarsest a model directory is likely to sit on. */
    static final long RACY_MILLIS = 2000;

    private final Path modelDir;
    private final LockFile lock;

    public ModelInventory(Path modelDir, LockFile lock) {
        this.modelDir = modelDir;
        this.lock = lock;
    }

    public Path pathOf(ModelEntry m) {
        return modelDir.resolve(m.file());
    }

    /** The manifest's hash, else the hash pinned on first download, else null. */
    public String expectedSha256(ModelEntry m) {
        return m.sha256() != null ? m.sha256() : lock.pin(m.file()).map(LockFile.Pin::sha256).orElse(null);
    }

    /** The state without reading the file's content. */
    public ModelStatus recorded(ModelEntry m) throws IOException {
        Path p = pathOf(m);
        String expected = expectedSha256(m);
        if (!Files.isRegularFile(p)) {
            return new ModelStatus(m, p, ModelState.MISSING, null, expected);
        }
        long size = Files.size(p);
        long modified = Files.getLastModifiedTime(p).toMillis();
        String actual = lock.check(m.file())
                .filter(c -> c.size() == size && c.modifiedMillis() == modified)
                .map(LockFile.Check::sha256)
                .orElse(null);
        return new ModelStatus(m, p, judge(expected, actual), actual, expected);
    }

    /**
     * Hashes the file and records what it found, unless the file changed in the last {@link #RACY_MILLIS}: a rewrite
     * within the same tick of the file system's clock keeps the size and time, so such a record could vouch for
     * content it never saw (git's "racy clean" problem). That file is hashed again at the next check instead.
     */
    public ModelStatus verify(ModelEntry m) throws IOException {
        Path p = pathOf(m);
        String expected = expectedSha256(m);
        if (!Files.isRegularFile(p)) {
            lock.forgetCheck(m.file());
            return new ModelStatus(m, p, ModelState.MISSING, null, expected);
        }
        long hashStarted = System.currentTimeMillis();
        long modified = Files.getLastModifiedTime(p).toMillis();
        long size = Files.size(p);
        String actual = Sha256.of(p);
        if (modified < hashStarted - RACY_MILLIS) {
            lock.recordCheck(m.file(), new LockFile.Check(actual, size, modified));
        } else {
            lock.forgetCheck(m.file());
        }
        return new ModelStatus(m, p, judge(expected, actual), actual, expected);
    }

    private static ModelState judge(String expected, String actual) {
        if (expected == null) {
            return ModelState.UNPINNED;
        }
        if (actual == null) {
            return ModelState.PRESENT;
        }
        return expected.equals(actual) ? ModelState.VERIFIED : ModelState.HASH_MISMATCH;
    }
}
