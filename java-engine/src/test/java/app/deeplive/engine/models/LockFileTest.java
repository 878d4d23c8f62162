package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {
    private static final String SHA = "b".repeat(64);

    @TempDir
    Path dir;

    @Test
    void pinsAndChecksSurviveASaveAndLoad() throws Exception {
        LockFile lock = LockFile.load(dir);
        LockFile.Pin pin = new LockFile.Pin(SHA, 123, Instant.parse("2026-01-02T03:04:05Z"), "https://example.org/m");
        lock.pin("m.onnx", pin);
        lock.recordCheck("m.onnx", new LockFile.Check(SHA, 123, 456));
        lock.save();

        LockFile again = LockFile.load(dir);

        assertEquals(Optional.of(pin), again.pin("m.onnx"));
        assertEquals(Optional.of(new LockFile.Check(SHA, 123, 456)), again.check("m.onnx"));
        assertEquals(Optional.empty(), again.pin("other.onnx"));
    }

    @Test
    void aMissingLockFileIsEmpty() {
        assertEquals(Optional.empty(), LockFile.load(dir).pin("m.onnx"));
    }

    @Test
    void aDamagedLockFileIsAOneLineErrorSayingWhatToDo() throws Exception {
        Files.writeString(dir.resolve(LockFile.FILE_NAME), "{\"pins\": {\"m.onnx\": {\"sha256\": \"nope\"}}}");

        String msg = assertThrows(UserFacingException.class, () -> LockFile.load(dir)).getMessage();

        assertTrue(msg.startsWith("cannot read " + dir.resolve(LockFile.FILE_NAME)), msg);
        assertTrue(msg.endsWith("fix or delete it (deleting forgets pinned hashes) and run `" + EngineCommand.line("models verify") + "`"), msg);
    }
}
