package app.deeplive.engine.control;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading from a client that does not read its replies, until its outgoing buffer drains: otherwise a
 * client that floods requests without reading would make the engine buffer replies without bound.
 */
@Sharable
final class ReadWhenWritable extends ChannelInboundHandlerAdapter {
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }
}
