package app.deeplive.engine.pipeline;

import app.deeplive.engine.swap.Identity;

/**
 * "The person who looks like {@code reference} becomes {@code source}". The reference is an embedding from the
 * same recogniser the pipeline runs on frames; a face is matched by cosine similarity above the settings' threshold.
 */
public record FaceMapping(Identity reference, Identity source) {
    public FaceMapping {
        if (reference == null || source == null) {
            throw new IllegalArgumentException("a mapping needs a reference and a source");
        }
    }
}
