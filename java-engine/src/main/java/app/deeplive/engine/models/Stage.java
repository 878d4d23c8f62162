package app.deeplive.engine.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The pipeline stage that loads a model; the manifest names it in lower case. */
public enum Stage {
    DETECT,
    RECOGNIZE,
    LANDMARKS,
    SWAP,
    ENHANCE,
    /** The occlusion mask's model (XSeg): what covers the face. */
    OCCLUDE;

    /** The name the manifest uses, e.g. {@code "detect"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Stage> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }
}
