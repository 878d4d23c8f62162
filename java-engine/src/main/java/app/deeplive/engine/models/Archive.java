package app.deeplive.engine.models;

import java.net.URI;
import java.util.List;

/**
 * A downloadable archive that holds several models (insightface's buffalo_l.zip).
 *
 * @param sha256 lower-case hex, or null when no trustworthy hash is published
 * @param size   bytes, or null when unknown
 */
public record Archive(String name, String file, List<URI> urls, Long size, String sha256, String hashSource) {
    public Archive {
        urls = List.copyOf(urls);
    }

    /** The archive as something to download. */
    public Download download() {
        return new Download(name, file, urls, size, sha256);
    }
}
