package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserFacingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a production model whose SHA-256 differs from its pin (the manifest's hash, else the one pinned in
 * {@code models.lock.json} on first download) when the engine loads it from the model directory, so a damaged or
 * substituted file is never run in its place. Files the user passes with an option are not checked: they are the
 * user's choice.
 * <p>
 * Hashing a 500 MB model takes seconds, so it is done once per change of the file: the lock file's "checks" record
 * the hash with the file's size and modification time ({@link ModelInventory#recorded}), and a file whose size or
 * time differs from that record is hashed again. This guards against corrupt, truncated or wrong downloads and
 * against a file replaced by hand, not against someone who can write the model directory (who could edit the lock
 * file too).
 */
final class ModelIntegrity {
    private static final Logger log = LoggerFactory.getLogger(ModelIntegrity.class);

    private ModelIntegrity() {}

    /** Returns normally if {@code m}'s file in {@code modelDir} matches its pin (or has none); else throws one line. */
    static void check(Path modelDir, ModelEntry m) {
        ModelStatus s;
        try {
            LockFile lock = LockFile.load(modelDir);
            ModelInventory inventory = new ModelInventory(modelDir, lock);
            s = inventory.recorded(m);
            if (s.state() == ModelState.PRESENT) {
                log.info("checking the SHA-256 of {} (once after each change of the file)", s.path());
                s = inventory.verify(m);
                remember(modelDir, m.file(), lock.check(m.file()));
            }
        } catch (IOException e) {
            throw new UserFacingException("cannot read model " + m.name() + " at " + modelDir.resolve(m.file()) + ": "
                    + e.getMessage(), e);
        }
        if (s.state() == ModelState.HASH_MISMATCH) {
            throw new UserFacingException("model file " + s.path() + " has SHA-256 " + s.actualSha256()
                    + " but " + (m.sha256() != null ? "the manifest says " : "its pinned hash is ") + s.expectedSha256()
                    + ", so it is not loaded: run `" + EngineCommand.line("models fetch " + m.name())
                    + "` again, or pass your own file with " + m.fileOption());
        }
    }

    /**
     * Records the hash just computed so the next start need not hash again, or forgets the old record when the
     * inventory would not vouch for a file that changed just now. The lock file is read afresh first, so a
     * {@code models fetch} that ran meanwhile keeps its pins; a directory that cannot be written only costs a hash at
     * every start.
     */
    private static void remember(Path modelDir, String file, Optional<LockFile.Check> check) {
        try {
            LockFile fresh = LockFile.load(modelDir);
            check.ifPresentOrElse(c -> fresh.recordCheck(file, c), () -> fresh.forgetCheck(file));
            fresh.save();
        } catch (IOException | UserFacingException e) {
            log.debug("cannot record the hash of {} in {}: {}", file, LockFile.FILE_NAME, e.getMessage());
        }
    }
}
