package app.deeplive.engine.cli;

import app.deeplive.engine.models.ModelDirectory;
import app.deeplive.engine.models.ModelEntry;
import app.deeplive.engine.models.ModelFiles;
import app.deeplive.engine.models.ModelManifest;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every {@code models} subcommand takes: which directory and which manifest. */
final class ModelsOptions {
    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Model directory (default: $DLF_MODELS_DIR, else models/ of the checkout the engine was built in, "
                    + "else $XDG_DATA_HOME/deep-live-face/models, by default ~/.local/share/deep-live-face/models).")
    Path modelsDir;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Model manifest to use instead of the one built into the engine (e.g. with your own mirrors).")
    Path manifestFile;

    Path modelDir() {
        return modelsDir != null ? modelsDir.toAbsolutePath().normalize() : ModelDirectory.standard().root();
    }

    ModelManifest manifest() {
        return manifestFile != null ? ModelManifest.load(manifestFile) : ModelFiles.manifest();
    }

    /** The named models, or all of them when no name is given; an unknown name is a one-line error. */
    static List<ModelEntry> select(ModelManifest manifest, List<String> names) {
        if (names == null || names.isEmpty()) { // all the models the engine may use
            return manifest.models().stream().filter(m -> m.licence().permitsUse()).toList();
        }
        return names.stream().distinct().map(manifest::require).toList();
    }
}
