package app.deeplive.engine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets nothing past until the connection's first message is a {@code hello} with the right version and token,
 * within the hello timeout. Anything else first is an {@code auth} error and the connection closes. After that it
 * answers a repeated hello with {@code bad_request} and passes every other message on.
 */
final class AuthGate extends SimpleChannelInboundHandler<ObjectNode> {
    private static final Logger log = LoggerFactory.getLogger(AuthGate.class);
    private static final AttributeKey<Boolean> AUTHENTICATED = AttributeKey.valueOf("dlf.authenticated");
    private static final Set<String> HELLO_FIELDS = Set.of("type", "id", "version", "token", "client");

    private final AuthToken token;
    private final Supplier<ObjectNode> capabilities;
    private final ControlLimits limits;
    private ScheduledFuture<?> helloTimer;

    AuthGate(AuthToken token, Supplier<ObjectNode> capabilities, ControlLimits limits) {
        super(ObjectNode.class, false);
        this.token = token;
        this.capabilities = capabilities;
        this.limits = limits;
    }

    static boolean isAuthenticated(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(AUTHENTICATED).get());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long ms = limits.helloTimeout().toMillis();
        helloTimer = ctx.executor().schedule(() -> {
            if (!isAuthenticated(ctx.channel())) {
                ctx.channel().writeAndFlush(Messages.error(null, ErrorCode.AUTH, "no hello within " + ms + " ms"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }, ms, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (helloTimer != null) {
            helloTimer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ObjectNode message) {
        String type = message.get("type").textValue();
        JsonNode id = message.get("id");
        if (isAuthenticated(ctx.channel())) {
            if ("hello".equals(type)) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "hello already received on this connection", id, false);
            }
            ctx.fireChannelRead(message);
            return;
        }
        if (!"hello".equals(type)) {
            throw new ProtocolException(ErrorCode.AUTH, "the first message must be hello", id, true);
        }
        try {
            Fields hello = new Fields(message).allowOnly(HELLO_FIELDS);
            int version = hello.integer("version", 0, Integer.MAX_VALUE);
            if (version != ControlServer.PROTOCOL_VERSION) {
                throw new ProtocolException(ErrorCode.VERSION, "protocol version " + version
                        + " is not supported; this engine speaks " + ControlServer.PROTOCOL_VERSION, id, true);
            }
            if (!token.matches(hello.string("token", 1024))) {
                log.warn("connection from {} gave a wrong token", ctx.channel().remoteAddress());
                throw new ProtocolException(ErrorCode.AUTH, "wrong token (read it from the engine's token file)", id, true);
            }
        } catch (ProtocolException e) {
            // Any fault in the hello (a missing token, a bad version) closes the connection.
            throw new ProtocolException(e.code() == ErrorCode.BAD_REQUEST ? ErrorCode.AUTH : e.code(), e.getMessage(), id, true);
        }
        ctx.channel().attr(AUTHENTICATED).set(true);
        helloTimer.cancel(false);
        ObjectNode welcome = Messages.reply("welcome", id);
        welcome.put("version", ControlServer.PROTOCOL_VERSION);
        welcome.put("engine", ControlServer.engineVersion());
        welcome.set("capabilities", capabilities.get());
        ctx.writeAndFlush(welcome);
    }
}
