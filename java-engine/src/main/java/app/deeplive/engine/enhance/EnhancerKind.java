package app.deeplive.engine.enhance;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The face enhancers the engine knows, by their command-line name and manifest model. */
public enum EnhancerKind {
    GFPGAN("gfpgan", "GFPGANv1.4", 512),
    GPEN256("gpen256", "GPEN-BFR-256", 256),
    GPEN512("gpen512", "GPEN-BFR-512", 512);

    private final String cliName;
    private final String modelName;
    private final int size;

    EnhancerKind(String cliName, String modelName, int size) {
        this.cliName = cliName;
        this.modelName = modelName;
        this.size = size;
    }

    /** The name users type: gfpgan, gpen256, gpen512. */
    public String cliName() {
        return cliName;
    }

    /** The model's name in the manifest. */
    public String modelName() {
        return modelName;
    }

    /** Side of the model's square input. */
    public int size() {
        return size;
    }

    /** The kind whose manifest model is {@code modelName}, if any. */
    public static Optional<EnhancerKind> ofModel(String modelName) {
        return Arrays.stream(values()).filter(k -> k.modelName.equals(modelName)).findFirst();
    }

    /** The kind named {@code name} (case-insensitive). */
    public static EnhancerKind parse(String name) {
        for (EnhancerKind k : values()) {
            if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown enhancer '" + name + "': use gfpgan, gpen256 or gpen512");
    }
}
