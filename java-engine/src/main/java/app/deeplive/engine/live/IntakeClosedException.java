package app.deeplive.engine.live;

/** The frame source has ended (producer gone or channel closed); the pipeline stops taking frames. */
public final class IntakeClosedException extends RuntimeException {
    public IntakeClosedException(String message) {
        super(message);
    }
}
