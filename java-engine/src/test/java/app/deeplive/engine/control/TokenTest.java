package app.deeplive.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenTest {
    @TempDir
    Path dir;

    @Test
    void aRandomTokenIs64HexCharactersAndDiffersEachTime() {
        AuthToken a = AuthToken.random();
        assertTrue(a.value().matches("[0-9a-f]{64}"), a.value());
        assertNotEquals(a.value(), AuthToken.random().value());
        assertFalse(a.toString().contains(a.value()), "never printed by accident");
    }

    @Test
    void onlyTheExactTokenMatches() {
        AuthToken t = AuthToken.of("abc123");
        assertTrue(t.matches("abc123"));
        assertFalse(t.matches("abc124"));
        assertFalse(t.matches("abc1234"));
        assertFalse(t.matches(""));
        assertFalse(t.matches(null));
    }

    @Test
    void theFileIsWrittenForTheUserOnlyAndReplacedWhole() throws Exception {
        TokenFile file = new TokenFile(dir.resolve("deep-live-face/token"));
        AuthToken first = AuthToken.random();
        file.write(first);
        assertEquals(first.value(), Files.readString(file.path()).strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path().getParent())));
        AuthToken second = AuthToken.random();
        file.write(second);
        assertEquals(second.value(), Files.readString(file.path()).strip());
        try (var left = Files.list(file.path().getParent())) {
            assertEquals(1, left.count(), "no temporary files left behind");
        }
    }

    @Test
    void anEngineThatStopsRemovesOnlyTheTokenItWrote() throws Exception {
        TokenFile engine = new TokenFile(dir.resolve("deep-live-face/token"));
        AuthToken token = AuthToken.random();
        engine.write(token);
        engine.release(token);
        assertFalse(Files.exists(engine.path()));
    }

    @Test
    void aSecondEngineThatStopsPutsTheFirstEnginesTokenBack() throws Exception {
        Path path = dir.resolve("deep-live-face/token");
        TokenFile first = new TokenFile(path);
        TokenFile second = new TokenFile(path);
        AuthToken a = AuthToken.random();
        AuthToken b = AuthToken.random();
        first.write(a);
        second.write(b); // e.g. `serve --port 47655` beside a running engine
        second.release(b);
        assertEquals(a.value(), Files.readString(path).strip(), "the first engine can still be reached");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        first.release(a);
        assertFalse(Files.exists(path));
    }

    @Test
    void anEngineNeverRemovesATokenWrittenAfterIts() throws Exception {
        Path path = dir.resolve("deep-live-face/token");
        TokenFile first = new TokenFile(path);
        TokenFile second = new TokenFile(path);
        AuthToken a = AuthToken.random();
        AuthToken b = AuthToken.random();
        first.write(a);
        second.write(b);
        first.release(a);
        assertEquals(b.value(), Files.readString(path).strip(), "the running engine's token is left alone");
    }

    @Test
    void theDefaultIsInTheRuntimeDirectoryElseTheConfigDirectory() {
        assertEquals(dir.resolve("deep-live-face/token"), TokenFile.standard(Map.of("XDG_RUNTIME_DIR", dir.toString())).path());
        Path home = Path.of(System.getProperty("user.home"));
        assertEquals(home.resolve(".config/deep-live-face/token").toAbsolutePath().normalize(),
                TokenFile.standard(Map.of()).path());
        assertEquals(dir.resolve(".config/deep-live-face/token"), TokenFile.standard(Map.of("HOME", dir.toString())).path(),
                "under $HOME, where the filter looks, also when it is not the password database's home");
    }
}
