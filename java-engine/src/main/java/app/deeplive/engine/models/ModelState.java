package app.deeplive.engine.models;

/** What is known about a model's file in the model directory. */
public enum ModelState {
    /** No file. */
    MISSING("missing"),
    /** A file, not hashed since it last changed (run {@code models verify}). */
    PRESENT("present"),
    /** Its SHA-256 matches the manifest or the pinned hash. */
    VERIFIED("verified"),
    /** Its SHA-256 differs from the manifest or the pinned hash. */
    HASH_MISMATCH("hash mismatch"),
    /** A file with no published hash and none pinned yet. */
    UNPINNED("unpinned");

    private final String label;

    ModelState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
