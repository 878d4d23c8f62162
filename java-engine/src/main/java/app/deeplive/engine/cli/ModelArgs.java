package app.deeplive.engine.cli;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.models.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Resolves a command's model-file option: the file the user gave, else the manifest's model of that name. */
final class ModelArgs {
    private ModelArgs() {}

    /** {@code given}, or the manifest's {@code name} (fetched, else a one-line error saying how to fetch it). */
    static Path givenOrManifest(Path given, String name) {
        return given != null ? given : ModelFiles.require(name);
    }

    /** Like {@link #givenOrManifest}, but a given file that does not exist is a one-line error before any load. */
    static Path existingOrManifest(Path given, String name) {
        return given != null ? existing(given) : ModelFiles.require(name);
    }

    /** A file of the shared test data ($DLF_SHARED_DIR or ../shared), else the manifest's model {@code name}. */
    static Path sharedOrManifest(String folder, String file, String name) {
        Path p = BenchInputs.sharedOrNull(folder, file);
        return p != null ? p : ModelFiles.require(name);
    }

    /** inswapper_128, or the fp16 file when only that one was fetched. */
    static Path defaultSwapper() {
        return ModelFiles.standard().firstPresent(List.of("inswapper_128", "inswapper_128_fp16"));
    }

    static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException("model file " + file + " not found");
        }
        return file;
    }
}
