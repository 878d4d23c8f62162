package app.deeplive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCommandTest {
    @TempDir
    Path dir;

    @Test
    void aHintRunsTheJarByItsAbsolutePathSoItWorksFromAnyDirectory() {
        String line = EngineCommand.line("models fetch det_10g");
        assertTrue(line.startsWith("java -jar /"), line);
        assertTrue(line.endsWith("/" + EngineCommand.JAR_NAME + " models fetch det_10g"), line);
    }

    @Test
    void theJarIsTheCodeSourceOrTheOneTheBuildWritesBesideTheClasses() throws Exception {
        Path jar = Files.createFile(dir.resolve("engine.jar"));
        assertEquals(jar, EngineCommand.jar(jar));
        Path classes = Files.createDirectories(dir.resolve("java-engine/target/classes"));
        assertEquals(dir.resolve("java-engine/target/" + EngineCommand.JAR_NAME), EngineCommand.jar(classes));
        assertEquals(Path.of(EngineCommand.JAR_NAME), EngineCommand.jar(null));
    }

    @Test
    void underTheBundlesLauncherAHintRunsTheLauncherNotJava() {
        Path jar = dir.resolve("engine/lib/" + EngineCommand.JAR_NAME);
        assertEquals("/usr/lib/deep-live-face/engine/bin/deep-live-face-engine",
                EngineCommand.prefix("/usr/lib/deep-live-face/engine/bin/deep-live-face-engine", jar));
        assertEquals("java -jar " + jar, EngineCommand.prefix(null, jar));
    }

    @Test
    void aPathWithSpacesOrQuotesIsQuotedForTheShell() {
        assertEquals("/opt/dlf/engine.jar", EngineCommand.quoted(Path.of("/opt/dlf/engine.jar")));
        assertEquals("'/home/a b/engine.jar'", EngineCommand.quoted(Path.of("/home/a b/engine.jar")));
        assertEquals("'/tmp/it'\\''s/engine.jar'", EngineCommand.quoted(Path.of("/tmp/it's/engine.jar")));
    }
}
