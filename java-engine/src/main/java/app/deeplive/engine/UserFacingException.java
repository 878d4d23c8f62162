package app.deeplive.engine;

/**
 * A failure the user can fix (missing model, unreadable image, no face, full disk…). Its message is one line
 * that says what happened and what to do; the CLI prints it as is.
 */
public class UserFacingException extends RuntimeException {
    private final int exitCode;

    public UserFacingException(String message) {
        this(message, 1, null);
    }

    public UserFacingException(String message, Throwable cause) {
        this(message, 1, cause);
    }

    public UserFacingException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
