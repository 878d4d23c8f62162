package app.deeplive.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the engine looks for models: never relative to the working directory or to wherever the jar was copied. */
class ModelDirectoryTest {
    @TempDir
    Path dir;

    private Path home;
    private Path checkoutJar;

    @BeforeEach
    void layout() throws Exception {
        home = Files.createDirectories(dir.resolve("home/ann"));
        Path checkout = dir.resolve("src/deep-live-face");
        Files.createDirectories(checkout.resolve("models"));
        Files.writeString(checkout.resolve("models/manifest.json"), "{}");
        checkoutJar = Files.createDirectories(checkout.resolve("java-engine/target")).resolve("deep-live-face-engine.jar");
    }

    @Test
    void theEnvironmentVariableWinsOverEverything() {
        assertEquals(Path.of("/data/models"), ModelDirectory.locate(Map.of("DLF_MODELS_DIR", "/data/models",
                "XDG_DATA_HOME", "/xdg"), checkoutJar, home));
    }

    @Test
    void aJarInACheckoutsBuildTreeUsesTheCheckoutsModelsFolder() {
        Path models = dir.resolve("src/deep-live-face/models");
        assertEquals(models, ModelDirectory.locate(Map.of(), checkoutJar, home));
        assertEquals(models, ModelDirectory.locate(Map.of(), checkoutJar.resolveSibling("classes"), home));
    }

    @Test
    void aCopiedJarUsesThePerUserDataDirectory() {
        Path copied = dir.resolve("opt/dlf/deep-live-face-engine.jar");
        assertEquals(home.resolve(".local/share/deep-live-face/models"), ModelDirectory.locate(Map.of(), copied, home));
        assertEquals(Path.of("/xdg/deep-live-face/models"),
                ModelDirectory.locate(Map.of("XDG_DATA_HOME", "/xdg"), copied, home));
    }

    @Test
    void aRelativeXdgDataHomeIsIgnoredAsTheSpecificationSays() {
        assertEquals(home.resolve(".local/share/deep-live-face/models"),
                ModelDirectory.locate(Map.of("XDG_DATA_HOME", "data"), dir.resolve("x.jar"), home));
    }

    @Test
    void aTargetFolderOutsideACheckoutIsNotACheckout() {
        Path stray = dir.resolve("elsewhere/target/deep-live-face-engine.jar");
        assertEquals(home.resolve(".local/share/deep-live-face/models"), ModelDirectory.locate(Map.of(), stray, home));
    }
}
