package app.deeplive.engine.session;

import java.util.Objects;

/** One entry of face mapping: target faces that look like {@code reference} get {@code source} swapped in. */
public record FaceMapping(SourceFace reference, SourceFace source) {
    public FaceMapping {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(source, "source");
    }
}
