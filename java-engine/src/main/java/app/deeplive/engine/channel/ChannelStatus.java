package app.deeplive.engine.channel;

/** The native library's dlf_status codes (frame_channel.h), by name. */
public enum ChannelStatus {
    OK(0),
    INVALID_ARGUMENT(-1),
    TIMEOUT(-2),
    NO_SLOT(-3),
    /** The producer closed the channel or died: close the handle. */
    PEER_GONE(-4),
    /** The producer evicted this consumer or another replaced it: close the handle (attach again to resume). */
    DETACHED(-5),
    BUSY(-6),
    NOT_FOUND(-7),
    BAD_CHANNEL(-8),
    VERSION(-9),
    SYSTEM(-10),
    WRONG_ROLE(-11),
    UNKNOWN(Integer.MIN_VALUE);

    private final int code;

    ChannelStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static ChannelStatus of(int code) {
        for (ChannelStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        return UNKNOWN;
    }

    /** True when the channel is over for this handle: it should be closed. */
    public boolean endsChannel() {
        return this == PEER_GONE || this == DETACHED;
    }
}
