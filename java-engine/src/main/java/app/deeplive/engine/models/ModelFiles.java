package app.deeplive.engine.models;

import java.nio.file.Path;

/**
 * Where every stage gets its default model file: {@code ModelFiles.require("inswapper_128")}. Cheap (no hashing;
 * {@code models verify} does that), and a missing file is a one-line error saying how to fetch it.
 */
public final class ModelFiles {
    private ModelFiles() {}

    /** The manifest built into the engine (parsed once). */
    public static ModelManifest manifest() {
        return Bundled.MANIFEST;
    }

    /** The model's file in {@link ModelDirectory#standard()}; throws UserFacingException if it is not there. */
    public static Path require(String modelName) {
        ModelEntry m = manifest().require(modelName);
        return ModelDirectory.standard().require(m);
    }

    private static final class Bundled {
        static final ModelManifest MANIFEST = ModelManifest.bundled();
    }
}
