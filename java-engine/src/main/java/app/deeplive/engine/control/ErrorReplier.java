package app.deeplive.engine.control;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler: turns every failure on a connection into an error reply. Framing errors (a length that is
 * negative or over the limit) and any error before authentication close the connection after the reply; a bad
 * request on an authenticated connection does not.
 */
@Sharable
final class ErrorReplier extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ErrorReplier.class);
    private final int maxMessageBytes;

    ErrorReplier(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable e = cause instanceof DecoderException && cause.getCause() instanceof ProtocolException
                ? cause.getCause()
                : cause;
        ProtocolException reply;
        if (e instanceof ProtocolException p) {
            reply = p;
        } else if (e instanceof TooLongFrameException) {
            reply = new ProtocolException(ErrorCode.TOO_LARGE,
                    "message longer than " + maxMessageBytes + " bytes", null, true);
        } else if (e instanceof CorruptedFrameException) {
            reply = new ProtocolException(ErrorCode.BAD_REQUEST,
                    "malformed length prefix (must be 0.." + maxMessageBytes + ")", null, true);
        } else if (e instanceof IOException) {
            log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), e.toString());
            ctx.close();
            return;
        } else {
            log.error("unexpected error on connection {}", ctx.channel().remoteAddress(), e);
            reply = new ProtocolException(ErrorCode.INTERNAL, "internal error: " + e, null, true);
        }
        boolean close = reply.closes() || !AuthGate.isAuthenticated(ctx.channel());
        var written = ctx.channel().writeAndFlush(Messages.error(reply.id(), reply.code(), reply.getMessage()));
        if (close) {
            ctx.channel().config().setAutoRead(false);
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
