package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserFacingException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where production models live: {@code $DLF_MODELS_DIR} if set, else the checkout's {@code models/} folder
 * (found from the jar's location, java-engine/target/x.jar → ../../models), else {@code ./models}.
 */
public final class ModelDirectory {
    public static final String ENV = "DLF_MODELS_DIR";

    private final Path root;

    public ModelDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The directory this installation uses. */
    public static ModelDirectory standard() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new ModelDirectory(Path.of(env));
        }
        Path fromJar = checkoutModels();
        return new ModelDirectory(fromJar != null ? fromJar : Path.of("models"));
    }

    public Path root() {
        return root;
    }

    /** The path a model file is loaded from, whether or not it exists yet. */
    public Path fileOf(String fileName) {
        return root.resolve(fileName);
    }

    /** The model file, or a one-line error telling the user how to get it. */
    public Path require(String modelName, String fileName) {
        Path p = fileOf(fileName);
        if (!Files.isRegularFile(p)) {
            throw new UserFacingException("model " + modelName + " not found at " + p
                    + ": run `" + EngineCommand.line("models fetch " + modelName) + "` (or pass the file with an option)");
        }
        return p;
    }

    private static Path checkoutModels() {
        try {
            Path jar = Path.of(ModelDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // java-engine/target/deep-live-face-engine.jar or java-engine/target/classes
            Path checkout = jar.getParent() == null ? null : jar.getParent().getParent();
            checkout = checkout == null ? null : checkout.getParent();
            if (checkout != null && Files.isRegularFile(checkout.resolve("models/manifest.json"))) {
                return checkout.resolve("models");
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // Fall back to ./models.
        }
        return null;
    }
}
