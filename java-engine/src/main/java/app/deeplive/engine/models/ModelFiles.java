package app.deeplive.engine.models;

import app.deeplive.engine.UserFacingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where every stage gets its default model file: {@code ModelFiles.require("inswapper_128")}, the manifest's file in
 * the model directory. A missing file, or one that fails its pinned SHA-256 (hashed once per change of the file,
 * see {@link ModelIntegrity}), is a one-line error saying how to fix it.
 */
public final class ModelFiles {
    private final ModelManifest manifest;
    private final ModelDirectory directory;

    public ModelFiles(ModelManifest manifest, ModelDirectory directory) {
        this.manifest = manifest;
        this.directory = directory;
    }

    /** The manifest these files are listed in. */
    public ModelManifest manifestInUse() {
        return manifest;
    }

    public ModelDirectory directory() {
        return directory;
    }

    /** The bundled manifest's models in {@link ModelDirectory#standard()}. */
    public static ModelFiles standard() {
        return new ModelFiles(manifest(), ModelDirectory.standard());
    }

    /** The manifest built into the engine (parsed once). */
    public static ModelManifest manifest() {
        return Bundled.MANIFEST;
    }

    /** {@code standard().file(modelName)}. */
    public static Path require(String modelName) {
        return standard().file(modelName);
    }

    /**
     * The model's file, checked; throws UserFacingException if it is missing, fails its hash, or its licence forbids
     * its use here.
     */
    public Path file(String modelName) {
        ModelEntry m = manifest.require(modelName);
        if (m.refusal() != null) {
            throw new UserFacingException(m.refusal());
        }
        return directory.require(m);
    }

    /**
     * Refuses a file the user gave when it is a manifest model whose licence forbids its use here: by its name, or,
     * renamed, by its content (hashed only when its size is that model's published size, so other files cost a stat).
     *
     * @throws UserFacingException naming the model and its licence
     */
    public void requirePermitted(Path given) {
        String name = given.getFileName() == null ? "" : given.getFileName().toString();
        for (ModelEntry m : manifest.models()) {
            if (m.refusal() != null && m.file().equals(name)) {
                throw new UserFacingException("model file " + given + " is " + m.name() + " by its name, which is refused: "
                        + m.refusalReason());
            }
            if (m.refusal() != null && sameContent(given, m)) {
                throw new UserFacingException("model file " + given + " is " + m.name() + " (same SHA-256), which is "
                        + "refused: " + m.refusalReason());
            }
        }
    }

    private static boolean sameContent(Path file, ModelEntry m) {
        try {
            return m.size() != null && m.sha256() != null && Files.size(file) == m.size()
                    && m.sha256().equals(Sha256.of(file));
        } catch (IOException e) {
            return false; // unreadable: opening it fails next, with its own message
        }
    }

    /**
     * The first of {@code modelNames} whose file is there, checked; if none is, the first one's not-found error. A
     * file that fails its hash is refused, not passed over for the next: a damaged model is to be fixed, and the user
     * told so, rather than silently replaced by another.
     */
    public Path firstPresent(List<String> modelNames) {
        for (String name : modelNames) {
            if (Files.isRegularFile(directory.fileOf(manifest.require(name).file()))) {
                return file(name);
            }
        }
        return file(modelNames.get(0));
    }

    private static final class Bundled {
        static final ModelManifest MANIFEST = ModelManifest.bundled();
    }
}
