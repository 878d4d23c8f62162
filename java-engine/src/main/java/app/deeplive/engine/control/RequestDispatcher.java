package app.deeplive.engine.control;

import app.deeplive.engine.models.FetchState;
import app.deeplive.engine.session.FrameLimits;
import app.deeplive.engine.session.RequestRejected;
import app.deeplive.engine.session.Session;
import app.deeplive.engine.session.SessionManager;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.session.SessionSettings;
import app.deeplive.engine.session.SessionStats;
import app.deeplive.engine.session.SourceFace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an authenticated connection's requests. The work runs on a worker thread, not the I/O loop, because
 * decoding a source image and finding its face take milliseconds; each connection is pinned to one worker thread,
 * which keeps its requests in order (the last set_options wins). Sessions belong to the connection that opened them:
 * another connection cannot see them, and they end when it closes.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<ObjectNode> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    private static final Set<String> SESSION_ONLY = Set.of("type", "id", "session");
    private static final Set<String> OPEN_FIELDS = Set.of("type", "id", "channel", "max_width", "max_height");
    private static final Set<String> SOURCE_FIELDS = Set.of("type", "id", "session", "path", "images", "image", "clear");
    private static final Set<String> OPTIONS_FIELDS = Set.of("type", "id", "session", "options");
    private static final String CLOSED_BY_CLIENT = "closed by client";

    private final SessionManager sessions;
    private final OptionsReader options;
    private final EventExecutor worker;
    private final Map<String, Session> mine = new ConcurrentHashMap<>();

    RequestDispatcher(SessionManager sessions, OptionsReader options, EventExecutor worker) {
        super(ObjectNode.class, false);
        this.sessions = sessions;
        this.options = options;
        this.worker = worker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ObjectNode message) {
        try {
            worker.execute(() -> handle(ctx, message));
        } catch (RejectedExecutionException e) {
            ctx.fireExceptionCaught(new ProtocolException(ErrorCode.UNAVAILABLE, "the engine is shutting down",
                    message.get("id"), true));
        }
    }

    private void handle(ChannelHandlerContext ctx, ObjectNode message) {
        JsonNode id = message.get("id");
        try {
            ctx.writeAndFlush(answer(ctx, new Fields(message), id));
        } catch (ProtocolException e) {
            ctx.fireExceptionCaught(e.id() == null ? e.withId(id) : e);
        } catch (RequestRejected e) {
            ctx.fireExceptionCaught(new ProtocolException(ErrorCode.of(e.reason()), e.getMessage(), id, false));
        } catch (RuntimeException e) {
            ctx.fireExceptionCaught(e);
        }
    }

    private ObjectNode answer(ChannelHandlerContext ctx, Fields m, JsonNode id) {
        String type = m.node().get("type").textValue();
        switch (type) {
            case "ping":
                m.allowOnly(Set.of("type", "id"));
                return Messages.reply("pong", id);
            case "open_session":
                return openSession(ctx, m.allowOnly(OPEN_FIELDS), id);
            case "set_source_face":
                return setSourceFace(m.allowOnly(SOURCE_FIELDS), id);
            case "set_options":
                return setOptions(m.allowOnly(OPTIONS_FIELDS), id);
            case "get_stats":
                return stats(session(m.allowOnly(SESSION_ONLY)), id);
            case "close_session": {
                Session s = session(m.allowOnly(SESSION_ONLY));
                mine.remove(s.id());
                s.close();
                ObjectNode r = Messages.reply("session_closed", id);
                r.put("session", s.id());
                r.put("reason", CLOSED_BY_CLIENT);
                return r;
            }
            default:
                throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + Fields.clip(type) + "'");
        }
    }

    private ObjectNode openSession(ChannelHandlerContext ctx, Fields m, JsonNode id) {
        String channel = m.string("channel", 255);
        if (!channel.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw Fields.bad("channel must be printable ASCII without spaces");
        }
        FrameLimits limits = new FrameLimits(
                m.integer("max_width", 1, FrameLimits.MAX_SIDE, FrameLimits.DEFAULT.maxWidth()),
                m.integer("max_height", 1, FrameLimits.MAX_SIDE, FrameLimits.DEFAULT.maxHeight()));
        Session s = sessions.open(channel, limits, (ended, reason) -> {
            // Tell the client unless it asked for the close itself (it gets the reply instead).
            if (mine.remove(ended.id()) != null && ctx.channel().isActive()) {
                ObjectNode event = Messages.event("session_closed");
                event.put("session", ended.id());
                event.put("reason", reason);
                ctx.channel().writeAndFlush(event);
            }
        });
        mine.put(s.id(), s);
        if (!ctx.channel().isActive()) {
            // The client left while the channel was attaching: channelInactive has run (or will find it in mine).
            mine.remove(s.id());
            s.end("client disconnected");
        }
        ObjectNode r = Messages.reply("session_opened", id);
        r.put("session", s.id());
        r.put("channel", channel);
        r.put("max_width", limits.maxWidth());
        r.put("max_height", limits.maxHeight());
        r.put("pipeline", s.pipelineDescription());
        r.put("provider", s.provider());
        return r;
    }

    private ObjectNode setSourceFace(Fields m, JsonNode id) {
        Session s = session(m);
        boolean clear = m.has("clear") && m.bool("clear");
        int given = (m.has("path") ? 1 : 0) + (m.has("images") ? 1 : 0) + (m.has("image") ? 1 : 0) + (clear ? 1 : 0);
        if (given != 1) {
            throw Fields.bad("set_source_face needs exactly one of path, image, images or clear: true");
        }
        ObjectNode r = Messages.reply("source_face_set", id);
        r.put("session", s.id());
        if (clear) {
            s.update(settings -> settings.withSourceFace(null));
            r.putNull("face");
            return r;
        }
        SourceFace face = m.has("images") ? options.averagedImages(m) : options.face(m, m.has("path"));
        s.checkIdentity(face.identity());
        s.update(settings -> settings.withSourceFace(face));
        ObjectNode f = r.putObject("face");
        float[] box = face.box();
        for (float v : box) {
            f.withArray("box").add(v);
        }
        f.put("score", face.score());
        return r;
    }

    private ObjectNode setOptions(Fields m, JsonNode id) {
        Session s = session(m);
        UnaryOperator<SwapSettings> change = options.read(m.object("options"));
        change.apply(s.settings().options()).mappings().forEach(mapping -> s.checkIdentity(mapping.source()));
        SessionSettings now = s.update(settings -> settings.withOptions(change.apply(settings.options())));
        s.request(now.options()); // optional models it asks for that are missing: fetched in the background
        ObjectNode r = Messages.reply("options_set", id);
        r.put("session", s.id());
        r.set("options", OptionsReader.toJson(now.options()));
        for (String unmet : putWarnings(r, s)) {
            if (!unmet.startsWith(FetchState.PROGRESS)) { // a fetch logs its own progress and outcome
                LOG.warn("session {}: {}", s.id(), unmet);
            }
        }
        return r;
    }

    /**
     * What the session's options ask for that cannot be done now, as warnings [{message}] (accepted, but say so),
     * and the model fetches they wait for as downloads [{model, percent}]; returns the warnings' lines.
     */
    private static List<String> putWarnings(ObjectNode r, Session s) {
        SwapSettings options = s.settings().options();
        List<String> unmet = s.unmet(options);
        ArrayNode warnings = r.putArray("warnings");
        unmet.forEach(line -> warnings.addObject().put("message", line));
        ArrayNode downloads = r.putArray("downloads");
        for (FetchState d : s.downloads(options)) {
            ObjectNode one = downloads.addObject().put("model", d.model());
            if (d.percent() >= 0) {
                one.put("percent", d.percent());
            } else {
                one.putNull("percent"); // the server did not say how big it is
            }
        }
        return unmet;
    }

    private static ObjectNode stats(Session s, JsonNode id) {
        SessionStats.Snapshot st = s.stats();
        ObjectNode r = Messages.reply("stats", id);
        r.put("session", s.id());
        r.put("frames", st.frames());
        r.put("fps", Math.round(st.fps() * 10) / 10.0);
        long dropped = s.droppedFrames();
        if (dropped < 0) {
            r.putNull("dropped"); // counted on the producer's side only
        } else {
            r.put("dropped", dropped);
        }
        r.put("rejected", st.rejected());
        r.put("errors", st.errors());
        int queued = s.queueDepth();
        if (queued < 0) {
            r.putNull("queue_depth"); // the frame source cannot tell
        } else {
            r.put("queue_depth", queued);
        }
        ObjectNode latency = r.putObject("latency_us");
        st.stages().forEach((stage, l) -> {
            ObjectNode one = latency.putObject(stage);
            one.put("mean", Math.round(l.meanMicros()));
            one.put("last", Math.round(l.lastMicros()));
        });
        r.put("pipeline", s.pipelineDescription());
        r.put("provider", s.provider());
        r.put("source_face", s.settings().sourceFace() != null);
        putWarnings(r, s);
        return r;
    }

    private Session session(Fields m) {
        String sid = m.string("session", 64);
        Session s = mine.get(sid);
        if (s == null || !s.isOpen()) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no open session '" + Fields.clip(sid) + "' on this connection");
        }
        return s;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The client is gone: its sessions end and release their channels.
        for (Session s : mine.values()) {
            mine.remove(s.id());
            s.end("client disconnected");
        }
        ctx.fireChannelInactive();
    }
}
