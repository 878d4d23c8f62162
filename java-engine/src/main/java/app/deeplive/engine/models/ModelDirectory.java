package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserHome;
import app.deeplive.engine.UserFacingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where production models live, whatever directory the engine runs from and wherever its jar was copied:
 * <ol>
 *   <li>{@code $DLF_MODELS_DIR}, if set;</li>
 *   <li>else, when the engine runs from a build tree ({@code <checkout>/java-engine/target/*.jar} or
 *       {@code target/classes}) whose checkout has {@code models/manifest.json}, that checkout's {@code models/}
 *       — so developers keep the models they already fetched there;</li>
 *   <li>else the per-user data directory: {@code $XDG_DATA_HOME/deep-live-face/models}, or
 *       {@code ~/.local/share/deep-live-face/models} when XDG_DATA_HOME is unset or not absolute (as the XDG
 *       specification says).</li>
 * </ol>
 * The manifest itself is not read from here: the jar carries it ({@link ModelManifest#bundled()}).
 */
public final class ModelDirectory {
    public static final String ENV = "DLF_MODELS_DIR";

    private final Path root;

    public ModelDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The directory this installation uses. */
    public static ModelDirectory standard() {
        return new ModelDirectory(locate(System.getenv(), EngineCommand.codeSource(), UserHome.of(System.getenv())));
    }

    /** The rule of {@link #standard()}, given the environment, where the engine's classes are, and the home. */
    static Path locate(Map<String, String> env, Path codeSource, Path home) {
        String dir = env.get(ENV);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        Path checkout = checkoutModels(codeSource);
        if (checkout != null) {
            return checkout;
        }
        String data = env.get("XDG_DATA_HOME");
        Path dataHome = data != null && Path.of(data).isAbsolute() ? Path.of(data) : home.resolve(".local/share");
        return dataHome.resolve("deep-live-face/models");
    }

    /** {@code <checkout>/models} when {@code codeSource} is {@code <checkout>/java-engine/target/X}, else null. */
    private static Path checkoutModels(Path codeSource) {
        Path target = codeSource == null ? null : codeSource.getParent();
        if (target == null || !target.endsWith("target") || target.getParent() == null
                || target.getParent().getParent() == null) {
            return null;
        }
        Path models = target.getParent().getParent().resolve("models");
        return Files.isRegularFile(models.resolve("manifest.json")) ? models : null;
    }

    public Path root() {
        return root;
    }

    /** The path a model file is loaded from, whether or not it exists yet. */
    public Path fileOf(String fileName) {
        return root.resolve(fileName);
    }

    /**
     * The model's file, once it matches its pinned SHA-256 ({@link ModelIntegrity}); else a one-line error telling
     * the user how to get it or pass their own.
     */
    public Path require(ModelEntry m) {
        Path p = fileOf(m.file());
        if (!Files.isRegularFile(p)) {
            throw new UserFacingException("model " + m.name() + " not found at " + p + ": run `"
                    + EngineCommand.line("models fetch " + m.name()) + "`, or pass your own file with " + m.fileOption());
        }
        ModelIntegrity.check(root, m);
        return p;
    }
}
