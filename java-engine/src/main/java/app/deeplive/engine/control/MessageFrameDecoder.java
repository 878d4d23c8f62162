package app.deeplive.engine.control;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;

/**
 * Splits the byte stream at each message's 4-byte big-endian length. The length is a signed int: a negative one is
 * a malformed frame (not a 4 GB one), one over the limit fails at once without waiting for the body. Before the
 * connection has authenticated, the limit is {@link #MAX_BEFORE_HELLO} (a hello is tiny), so unauthenticated
 * clients cannot make the engine buffer megabytes each.
 */
final class MessageFrameDecoder extends LengthFieldBasedFrameDecoder {
    static final int MAX_BEFORE_HELLO = 64 << 10;
    private Channel channel;

    MessageFrameDecoder(int maxMessageBytes) {
        super(maxMessageBytes, 0, 4, 0, 4, true);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.handlerAdded(ctx);
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        int value = buf.getInt(offset);
        if (value < 0) {
            throw new CorruptedFrameException("negative message length " + value);
        }
        if (value > MAX_BEFORE_HELLO && !AuthGate.isAuthenticated(channel)) {
            throw new ProtocolException(ErrorCode.TOO_LARGE,
                    "a message before hello may be at most " + MAX_BEFORE_HELLO + " bytes", null, true);
        }
        return value;
    }
}
