package app.deeplive.engine.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's live sessions: opens them on a frame channel (up to a limit), finds them by id, ends them all on
 * shutdown. Every session gets its own pipeline from the one factory, over the models loaded once.
 */
public final class SessionManager implements AutoCloseable {
    private final FrameSourceFactory sources;
    private final SessionPipelines pipelines;
    private final int maxSessions;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private int attaching; // slots reserved by open() calls still attaching their channel; guarded by this
    private boolean closed; // guarded by this

    public SessionManager(FrameSourceFactory sources, SessionPipelines pipelines, int maxSessions) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1");
        }
        this.sources = sources;
        this.pipelines = pipelines;
        this.maxSessions = maxSessions;
    }

    /**
     * Attaches the channel and starts the session's thread.
     *
     * @param onEnd told when the session ends for any reason (client, channel gone, shutdown)
     * @throws RequestRejected LIMIT when the engine already runs its maximum, or whatever the channel reports
     */
    public Session open(String channelName, FrameLimits limits, Session.EndListener onEnd) {
        synchronized (this) {
            if (closed) {
                throw new RequestRejected(RequestRejected.Reason.UNAVAILABLE, "the engine is shutting down");
            }
            if (sessions.size() + attaching >= maxSessions) {
                throw new RequestRejected(RequestRejected.Reason.LIMIT, "the engine already runs " + maxSessions
                        + " sessions; close one first (serve --max-sessions raises the limit)");
            }
            attaching++; // attaching a channel may take a while: do it outside the lock
        }
        boolean reserved = true;
        try {
            String id = "s" + nextId.getAndIncrement();
            FrameSource source = sources.open(channelName, limits);
            Session session;
            try {
                session = new Session(id, channelName, limits, source, pipelines, (s, reason) -> {
                    sessions.remove(s.id(), s);
                    onEnd.ended(s, reason);
                });
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
            synchronized (this) {
                attaching--; // the reservation becomes the session in one step, so the count never doubles
                reserved = false;
                if (closed) {
                    session.discard();
                    throw new RequestRejected(RequestRejected.Reason.UNAVAILABLE, "the engine is shutting down");
                }
                sessions.put(id, session);
            }
            session.start();
            return session;
        } finally {
            if (reserved) {
                synchronized (this) {
                    attaching--;
                }
            }
        }
    }

    public Optional<Session> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    public int openCount() {
        return sessions.size();
    }

    public int maxSessions() {
        return maxSessions;
    }

    /** The swap models a session may choose by name ({@link SessionPipelines#swapModels()}). */
    public java.util.List<String> swapModels() {
        return pipelines.swapModels();
    }

    public String pipelineDescription() {
        return pipelines.description();
    }

    /** Ends every session with {@code reason} and waits (bounded) for their threads; refuses new ones. */
    public void closeAll(String reason) {
        List<Session> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(sessions.values());
        }
        open.forEach(s -> s.end(reason));
        open.forEach(Session::close);
    }

    @Override
    public void close() {
        closeAll("engine shutting down");
    }
}
