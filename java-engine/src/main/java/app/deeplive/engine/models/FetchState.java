package app.deeplive.engine.models;

/**
 * Where one background fetch of a model stands: running (with the bytes so far of the file being fetched, and its
 * size when known), or failed with the one line a user reads. A finished, successful fetch has no state.
 */
public record FetchState(String model, long bytes, long total, String failure) {
    /** How a running fetch's line starts: clients tell progress from a problem by it. */
    public static final String PROGRESS = "downloading ";

    /** Nothing received yet; {@code size} is the manifest's, null when it does not say. */
    static FetchState started(String model, Long size) {
        return new FetchState(model, 0, size != null ? size : -1, null);
    }

    static FetchState failed(String model, String line) {
        return new FetchState(model, 0, -1, line);
    }

    public boolean running() {
        return failure == null;
    }

    /** Whole percent of the current file, or -1 when its size is unknown (or the fetch failed). */
    public int percent() {
        if (!running() || total <= 0) {
            return -1;
        }
        return (int) Math.min(100, bytes * 100 / total);
    }

    /** "downloading GPEN-BFR-256: 41 %" (or "…: 12.0 MB" without a known size), or the failure line. */
    public String line() {
        if (!running()) {
            return failure;
        }
        int p = percent();
        return PROGRESS + model + ": " + (p >= 0 ? p + " %" : bytes == 0 ? "starting" : Bytes.human(bytes));
    }
}
