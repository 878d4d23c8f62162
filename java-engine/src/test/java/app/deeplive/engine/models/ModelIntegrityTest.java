package app.deeplive.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserFacingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A production model loaded from the model directory must match its pinned SHA-256. */
class ModelIntegrityTest {
    private static final byte[] GOOD = TestBytes.random(4000, 7);
    private static final byte[] BAD = TestBytes.random(4000, 8);

    @TempDir
    Path dir;

    /** "swapper" (fp32) and "swapper16" with the manifest's hashes of GOOD, and "pinned" with none published. */
    private ModelFiles models() {
        String model = """
                {"name": "%s", "file": "%s.onnx", "stage": "swap", "size": 4000, "sha256": %s,
                 "urls": ["https://example.invalid/%s.onnx"], "licence": {"short": "nc", "text": "research only"}}""";
        String good = "\"" + Sha256.of(GOOD) + "\"";
        ModelManifest manifest = ModelManifest.parse("{\"version\": 1, \"models\": [" + String.join(",",
                model.formatted("swapper", "swapper", good, "swapper"),
                model.formatted("swapper16", "swapper16", good, "swapper16"),
                model.formatted("pinned", "pinned", "null", "pinned")) + "]}", "test manifest");
        return new ModelFiles(manifest, new ModelDirectory(dir));
    }

    @Test
    void aFileThatMatchesTheManifestsHashLoads() throws Exception {
        Files.write(dir.resolve("swapper.onnx"), GOOD);
        assertEquals(dir.resolve("swapper.onnx"), models().file("swapper"));
    }

    @Test
    void aFileThatDoesNotMatchIsRefusedWithOneLineNamingTheFileTheHashAndTheFix() throws Exception {
        Files.write(dir.resolve("swapper.onnx"), BAD);
        String msg = assertThrows(UserFacingException.class, () -> models().file("swapper")).getMessage();
        assertEquals("model file " + dir.resolve("swapper.onnx") + " has SHA-256 " + Sha256.of(BAD)
                + " but the manifest says " + Sha256.of(GOOD) + ", so it is not loaded: run `"
                + EngineCommand.line("models fetch swapper") + "` again, or pass your own file with --swapper FILE", msg);
        assertFalse(msg.contains("\n"));
    }

    @Test
    void aFileThatDoesNotMatchItsTrustOnFirstUsePinIsRefused() throws Exception {
        LockFile lock = LockFile.load(dir);
        lock.pin("pinned.onnx", new LockFile.Pin(Sha256.of(GOOD), GOOD.length, Instant.EPOCH, "test"));
        lock.save();
        Files.write(dir.resolve("pinned.onnx"), BAD);
        String msg = assertThrows(UserFacingException.class, () -> models().file("pinned")).getMessage();
        assertTrue(msg.contains(" but its pinned hash is " + Sha256.of(GOOD) + ", so it is not loaded"), msg);
        Files.write(dir.resolve("pinned.onnx"), GOOD);
        assertEquals(dir.resolve("pinned.onnx"), models().file("pinned"));
    }

    @Test
    void aFileWithNoHashToCompareWithLoads() throws Exception {
        Files.write(dir.resolve("pinned.onnx"), BAD);
        assertEquals(dir.resolve("pinned.onnx"), models().file("pinned"));
    }

    @Test
    void theHashIsRecordedWithSizeAndTimeSoAnUnchangedFileIsNotHashedAgainButAnAlteredOneIs() throws Exception {
        Path file = dir.resolve("swapper.onnx");
        Files.write(file, GOOD);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
        models().file("swapper");
        LockFile.Check check = LockFile.load(dir).check("swapper.onnx").orElseThrow();
        assertEquals(new LockFile.Check(Sha256.of(GOOD), GOOD.length, Files.getLastModifiedTime(file).toMillis()), check);

        // Same size and time: the record stands for the content (this is what makes a second start fast).
        FileTime time = Files.getLastModifiedTime(file);
        Files.write(file, BAD);
        Files.setLastModifiedTime(file, time);
        assertEquals(file, models().file("swapper"));

        // Another time: hashed again, and refused.
        Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() + 2000));
        assertThrows(UserFacingException.class, () -> models().file("swapper"));
        assertEquals(Sha256.of(BAD), LockFile.load(dir).check("swapper.onnx").orElseThrow().sha256());
    }

    @Test
    void aFileWrittenJustNowIsHashedAgainSinceARewriteInTheSameClockTickKeepsItsSizeAndTime() throws Exception {
        Path file = dir.resolve("swapper.onnx");
        Files.write(file, BAD);
        FileTime time = Files.getLastModifiedTime(file);
        assertThrows(UserFacingException.class, () -> models().file("swapper"));
        assertTrue(LockFile.load(dir).check("swapper.onnx").isEmpty(), "no record vouches for a file this fresh");

        Files.write(file, GOOD);
        Files.setLastModifiedTime(file, time);
        assertEquals(file, models().file("swapper"));
    }

    @Test
    void aRefusedFileIsReportedNotPassedOverForTheNextCandidate() throws Exception {
        Files.write(dir.resolve("swapper.onnx"), BAD);
        Files.write(dir.resolve("swapper16.onnx"), GOOD);
        String msg = assertThrows(UserFacingException.class,
                () -> models().firstPresent(List.of("swapper", "swapper16"))).getMessage();
        assertTrue(msg.startsWith("model file " + dir.resolve("swapper.onnx") + " has SHA-256"), msg);

        Files.delete(dir.resolve("swapper.onnx"));
        assertEquals(dir.resolve("swapper16.onnx"), models().firstPresent(List.of("swapper", "swapper16")));
    }

    @Test
    void whenNoCandidateIsThereTheFirstOnesFetchHintIsGiven() {
        String msg = assertThrows(UserFacingException.class,
                () -> models().firstPresent(List.of("swapper", "swapper16"))).getMessage();
        assertTrue(msg.startsWith("model swapper not found at " + dir.resolve("swapper.onnx")), msg);
    }
}
