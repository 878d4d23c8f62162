package app.deeplive.engine.control;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Closes a connection that sent no complete message for the idle timeout. It sits after the frame decoder, so a
 * client dripping a message byte by byte (slow loris) counts as idle and is closed too.
 */
final class IdleCloser extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.channel().writeAndFlush(Messages.error(null, ErrorCode.TIMEOUT,
                            "no complete message for too long; closing (send ping to keep a connection open)"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
