package app.deeplive.engine.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.io.IOException;

/** One outgoing JSON object → a 4-byte big-endian length followed by its UTF-8 bytes. */
@Sharable
final class JsonMessageEncoder extends MessageToByteEncoder<ObjectNode> {
    JsonMessageEncoder() {
        super(ObjectNode.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ObjectNode message, ByteBuf out) throws IOException {
        int lengthAt = out.writerIndex();
        out.writeInt(0); // patched below once the body's length is known
        try (ByteBufOutputStream body = new ByteBufOutputStream(out)) {
            JsonMessageDecoder.MAPPER.writeValue((java.io.OutputStream) body, message);
        }
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }
}
