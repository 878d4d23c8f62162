package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.deeplive.engine.UserFacingException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelFilesTest {
    @Test
    void theManifestIsTheBundledOneParsedOnce() {
        assertSame(ModelFiles.manifest(), ModelFiles.manifest());
        assertEquals("inswapper_128.onnx", ModelFiles.manifest().require("inswapper_128").file());
    }

    @Test
    void requireResolvesTheManifestFileNameOrSaysHowToFetchIt() {
        Path expected = ModelDirectory.standard().fileOf("inswapper_128.onnx");
        if (Files.isRegularFile(expected)) {
            assertEquals(expected, ModelFiles.require("inswapper_128"));
        } else {
            String msg = assertThrows(UserFacingException.class, () -> ModelFiles.require("inswapper_128")).getMessage();
            assertEquals("model inswapper_128 not found at " + expected + ": run `"
                    + EngineCommand.line("models fetch inswapper_128") + "`, or pass your own file with --swapper FILE", msg);
        }
    }

    @Test
    void anUnknownModelNameIsAUserFacingError() {
        assertThrows(UserFacingException.class, () -> ModelFiles.require("inswapper_512"));
    }
}
