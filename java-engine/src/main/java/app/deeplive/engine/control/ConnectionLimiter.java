package app.deeplive.engine.control;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the connections open at once. One over the cap is told {@code limit} and closed before it reaches the
 * decoders, so a flood of connections costs the engine almost nothing and the clients already in are unaffected.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            // Not passed on: no hello timer starts, nothing more is read; channelInactive still balances the count.
            ctx.channel().config().setAutoRead(false);
            ctx.channel().writeAndFlush(Messages.error(null, ErrorCode.LIMIT,
                            "the engine already has " + max + " connections; try again later"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    int open() {
        return open.get();
    }
}
