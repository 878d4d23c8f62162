package app.deeplive.engine.control;

import java.time.Duration;

/**
 * What one client may cost the engine. Defaults suit a desktop with a few OBS filters; tests shrink the timeouts.
 *
 * @param maxMessageBytes largest message body (after the 4-byte length); a bigger length closes the connection
 * @param maxConnections connections open at once; the next one is told {@code limit} and closed
 * @param helloTimeout time a new connection has to authenticate
 * @param idleTimeout time without a complete message after which a connection closes (clients ping meanwhile);
 *                    also what ends a slow-loris client that drips a message byte by byte
 */
public record ControlLimits(int maxMessageBytes, int maxConnections, Duration helloTimeout, Duration idleTimeout) {
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;
    public static final ControlLimits DEFAULT =
            new ControlLimits(DEFAULT_MAX_MESSAGE_BYTES, 64, Duration.ofSeconds(10), Duration.ofSeconds(60));

    public ControlLimits {
        if (maxMessageBytes < 1024 || maxConnections < 1 || helloTimeout.isNegative() || helloTimeout.isZero()
                || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("invalid control limits");
        }
    }

    public ControlLimits withMaxConnections(int n) {
        return new ControlLimits(maxMessageBytes, n, helloTimeout, idleTimeout);
    }

    public ControlLimits withTimeouts(Duration hello, Duration idle) {
        return new ControlLimits(maxMessageBytes, maxConnections, hello, idle);
    }
}
