package app.deeplive.engine.enhance;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

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

    /** The control protocol's name for "no enhancer". */
    public static final String OFF = "off";

    /**
     * The enhancer set_options names: a kind's exact name, or null for {@link #OFF}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static EnhancerKind fromWire(String name) {
        if (OFF.equals(name)) {
            return null;
        }
        for (EnhancerKind k : values()) {
            if (k.cliName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("enhancer must be one of " + OFF + ", "
                + Arrays.stream(values()).map(EnhancerKind::cliName).collect(Collectors.joining(", "))
                + ", got '" + name + "'");
    }

    /** The control protocol's name of {@code kind}, {@link #OFF} for null. */
    public static String wireName(EnhancerKind kind) {
        return kind == null ? OFF : kind.cliName;
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
