package app.deeplive.engine.session;

/**
 * Decides which of a stream's frame failures are worth a log line: a new kind of failure at once, the same one again
 * at most once per {@link #INTERVAL_NANOS} with the number left out, so a model that fails on every frame does not
 * write 30 lines a second. One thread uses it (the session's).
 */
final class RepeatedFailures {
    static final long INTERVAL_NANOS = 10_000_000_000L;

    private String last;
    private long lastLoggedAt;
    private long suppressed;

    /**
     * @return the line to log for a failure described by {@code message} at {@code nanoTime}, or null to stay quiet
     */
    String line(String message, long nanoTime) {
        if (message.equals(last) && nanoTime - lastLoggedAt < INTERVAL_NANOS) {
            suppressed++;
            return null;
        }
        String line = suppressed == 0 || !message.equals(last)
                ? message
                : message + " (and " + suppressed + " more frames like it)";
        last = message;
        lastLoggedAt = nanoTime;
        suppressed = 0;
        return line;
    }
}
