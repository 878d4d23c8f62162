package app.deeplive.engine.session;

import java.util.Objects;

/**
 * Everything a frame is processed with: options plus the source face (null until the client sets one). The session
 * holds one instance and replaces it atomically; the frame loop reads it once per frame.
 */
public record SessionSettings(SessionOptions options, SourceFace sourceFace) {
    public static final SessionSettings INITIAL = new SessionSettings(SessionOptions.DEFAULT, null);

    public SessionSettings {
        Objects.requireNonNull(options, "options");
    }

    public SessionSettings withOptions(SessionOptions newOptions) {
        return new SessionSettings(newOptions, sourceFace);
    }

    public SessionSettings withSourceFace(SourceFace face) {
        return new SessionSettings(options, face);
    }

    /** True when there is someone to swap in: a source face or a face mapping. */
    public boolean hasIdentity() {
        return sourceFace != null || !options.faceMapping().isEmpty();
    }
}
