package app.deeplive.engine.models;

import java.net.URI;
import java.util.List;

/**
 * One file to fetch: its mirrors in order of preference and what it must look like.
 *
 * @param label  what error messages call it (a model or archive name)
 * @param file   the file name it is saved under
 * @param size   expected bytes, or null when unknown
 * @param sha256 expected lower-case hex digest, or null when only trust on first use is possible
 */
public record Download(String label, String file, List<URI> urls, Long size, String sha256) {
    public Download {
        urls = List.copyOf(urls);
    }

    public Download withSha256(String pinned) {
        return new Download(label, file, urls, size, pinned);
    }
}
