package app.deeplive.engine.control;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;

/**
 * Splits the byte stream at each message's 4-byte big-endian length. The length is a signed int: a negative one is
 * a malformed frame (not a 4 GB one), one over the limit fails at once without waiting for the body.
 */
final class MessageFrameDecoder extends LengthFieldBasedFrameDecoder {
    MessageFrameDecoder(int maxMessageBytes) {
        super(maxMessageBytes, 0, 4, 0, 4, true);
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        int value = buf.getInt(offset);
        if (value < 0) {
            throw new CorruptedFrameException("negative message length " + value);
        }
        return value;
    }
}
