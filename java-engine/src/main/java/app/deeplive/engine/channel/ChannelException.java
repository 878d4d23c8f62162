package app.deeplive.engine.channel;

import app.deeplive.engine.UserFacingException;

/** A frame-channel call failed; {@link #status()} says how, the message says what to do. */
public final class ChannelException extends UserFacingException {
    private final ChannelStatus status;

    ChannelException(ChannelStatus status, String message) {
        super(message);
        this.status = status;
    }

    public ChannelStatus status() {
        return status;
    }

    /** Throws unless {@code code} is DLF_OK; {@code what} names the operation and the channel. */
    static void check(int code, String what) {
        if (code != 0) {
            throw failure(code, what);
        }
    }

    static ChannelException failure(int code, String what) {
        ChannelStatus status = ChannelStatus.of(code);
        return new ChannelException(status, what + ": " + Shim.dlf_status_message(code) + advice(status));
    }

    private static String advice(ChannelStatus status) {
        return switch (status) {
            case NOT_FOUND -> " (is the producer - OBS or dlf-test-producer - still running? use the name it printed)";
            case BAD_CHANNEL -> " (pass the exact name the producer printed, as the same user)";
            case VERSION -> " (the OBS plugin and the engine come from different releases; install matching ones)";
            case BUSY -> " (another engine is attached to this channel; stop it first)";
            default -> "";
        };
    }
}
