package app.deeplive.engine.control;

import app.deeplive.engine.session.SessionManager;
import app.deeplive.engine.session.SourceFaceRequests;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's control channel: a Netty TCP server (NIO transport) whose pipeline is a row of small handlers —
 * connection cap → length framing (fail fast over the limit) → idle/slow-loris timeout → JSON → auth gate →
 * request dispatcher (on worker threads) → error replies. Everything but pixels goes through here.
 */
public final class ControlServer implements AutoCloseable {
    public static final int PROTOCOL_VERSION = 1;
    public static final int DEFAULT_PORT = 47654;
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

    private final ControlLimits limits;
    private final AuthToken token;
    private final SessionManager sessions;
    private final OptionsReader options;
    private final Supplier<ObjectNode> capabilities;
    private final EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final EventExecutorGroup workers = new DefaultEventExecutorGroup(4);
    private final ChannelGroup connections = new DefaultChannelGroup("control", GlobalEventExecutor.INSTANCE);
    private final ConnectionLimiter limiter;
    private final ErrorReplier errors;
    private final ReadWhenWritable readWhenWritable = new ReadWhenWritable();
    private final JsonMessageEncoder encoder = new JsonMessageEncoder();
    private Channel server;
    private boolean closed;

    public ControlServer(ControlLimits limits, AuthToken token, Capabilities capabilities, SessionManager sessions,
            SourceFaceRequests sourceFaces) {
        this.limits = limits;
        this.token = token;
        this.sessions = sessions;
        this.options = new OptionsReader(sourceFaces, sessions::swapModels);
        ObjectNode caps = capabilities.toJson(sessions.maxSessions(), limits);
        this.capabilities = caps::deepCopy;
        this.limiter = new ConnectionLimiter(limits.maxConnections());
        this.errors = new ErrorReplier(limits.maxMessageBytes());
    }

    /**
     * Binds and starts accepting; returns the address actually bound (port 0 picks a free port).
     *
     * @throws IllegalStateException when the address cannot be bound (in use, not local); the server is closed
     */
    public synchronized InetSocketAddress start(String host, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptor, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("limit", limiter);
                        p.addLast("frame", new MessageFrameDecoder(limits.maxMessageBytes()));
                        p.addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                        p.addLast("idleClose", new IdleCloser());
                        p.addLast("encode", encoder);
                        p.addLast("json", new JsonMessageDecoder());
                        p.addLast("backpressure", readWhenWritable);
                        p.addLast("auth", new AuthGate(token, capabilities, limits));
                        p.addLast("dispatch", new RequestDispatcher(sessions, options, workers.next()));
                        p.addLast("errors", errors);
                    }
                });
        try {
            server = b.bind(host, port).sync().channel();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        log.info("control channel listening on {}:{}", bound.getAddress().getHostAddress(), bound.getPort());
        return bound;
    }

    /** Connections open right now (for tests and logs). */
    public int openConnections() {
        return limiter.open();
    }

    /**
     * Stops cleanly: no new connections, every session ends (its client gets {@code session_closed}), every client
     * gets {@code bye}, then connections and threads are released. Idempotent; bounded in time.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        sessions.closeAll("engine shutting down");
        ObjectNode bye = Messages.event("bye");
        bye.put("reason", "engine shutting down");
        connections.writeAndFlush(bye).awaitUninterruptibly(2, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        // Workers first: their tasks write to channels, whose I/O loops must still run.
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    static String engineVersion() {
        String v = ControlServer.class.getPackage().getImplementationVersion();
        return "deep-live-face-engine " + (v == null ? "(development build)" : v);
    }
}
