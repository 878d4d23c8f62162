package app.deeplive.engine.session;

import app.deeplive.engine.pipeline.SwapSettings;
import java.util.Objects;

/**
 * Everything a session's frames are processed with: the swap settings, whose source identity is that of
 * {@code sourceFace} (the face the client set, kept for its box and score; null until one is set). The session
 * holds one instance and replaces it atomically; its pipeline reads the swap settings once per frame.
 */
public record SessionSettings(SwapSettings options, SourceFace sourceFace) {
    public static final SessionSettings INITIAL = new SessionSettings(SwapSettings.DEFAULT, null);

    public SessionSettings {
        Objects.requireNonNull(options, "options");
    }

    /** New options; the source face stays whatever the session has. */
    public SessionSettings withOptions(SwapSettings newOptions) {
        return new SessionSettings(newOptions.withSource(options.source()), sourceFace);
    }

    /** @param face the new identity, or null to clear it */
    public SessionSettings withSourceFace(SourceFace face) {
        return new SessionSettings(options.withSource(face == null ? null : face.identity()), face);
    }

    /** True when there is someone to swap in: a source face or a face mapping. */
    public boolean hasIdentity() {
        return options.swapsAnything();
    }
}
