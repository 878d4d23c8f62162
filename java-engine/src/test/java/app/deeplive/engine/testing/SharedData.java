package app.deeplive.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real models and photos in {@code ../shared} beside the checkout. On a user's machine without them the
 * tests that need them are skipped; in CI ({@code CI=true} or {@code DLF_REQUIRE_SHARED=1}) they fail loudly.
 */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        String env = System.getenv("DLF_SHARED_DIR");
        String prop = System.getProperty("dlf.shared.dir");
        Path root = Path.of(env != null && !env.isBlank() ? env : prop != null ? prop : "../shared");
        root = root.toAbsolutePath().normalize();
        boolean present = Files.isDirectory(root.resolve("models")) && Files.isDirectory(root.resolve("photos"));
        if (!present) {
            String why = "shared test data not found at " + root + " (set DLF_SHARED_DIR to the folder with models/ and photos/)";
            if (required()) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        return root;
    }

    public static Path model(String file) {
        return existing(root().resolve("models").resolve(file));
    }

    public static Path photo(String file) {
        return existing(root().resolve("photos").resolve(file));
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            fail("shared test file missing: " + p);
        }
        return p;
    }

    /** Whether missing test data or tools must fail the build rather than skip (CI). */
    static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || "1".equals(System.getenv("DLF_REQUIRE_SHARED"));
    }
}
