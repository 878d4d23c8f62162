package app.deeplive.engine.session;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The face enhancer a session asks for; the protocol names are the lower-case constants. */
public enum Enhancer {
    OFF, GFPGAN, GPEN256, GPEN512;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Enhancer fromWire(String name) {
        for (Enhancer e : values()) {
            if (e.wireName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("enhancer must be one of " + accepted() + ", got '" + name + "'");
    }

    public static String accepted() {
        return Arrays.stream(values()).map(Enhancer::wireName).collect(Collectors.joining(", "));
    }
}
