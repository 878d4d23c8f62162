package app.deeplive.engine.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open ONNX Runtime session and what is known about it: the file it came from, the provider it runs on, its
 * inputs and outputs in graph order, and why better providers were passed over. Close it to free the session.
 * An {@link OrtSession} takes concurrent runs (each with its own inputs and outputs), so one loaded model can serve
 * several callers: {@link #share()} gives another handle on the same session, and the session closes when the last
 * open handle closes, never under a caller still holding one.
 */
public final class LoadedModel implements AutoCloseable {
    private final OrtSession session;
    private final Path file;
    private final OrtProvider provider;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final List<String> fallbacks;
    private final AtomicInteger openHandles; // shared by every handle on this session
    private final AtomicBoolean closed = new AtomicBoolean(); // this handle's

    LoadedModel(OrtSession session, Path file, OrtProvider provider, List<TensorSpec> inputs, List<TensorSpec> outputs,
            List<String> fallbacks) {
        this.session = session;
        this.file = file;
        this.provider = provider;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.fallbacks = List.copyOf(fallbacks);
        this.openHandles = new AtomicInteger(1);
    }

    private LoadedModel(LoadedModel shared) {
        this.session = shared.session;
        this.file = shared.file;
        this.provider = shared.provider;
        this.inputs = shared.inputs;
        this.outputs = shared.outputs;
        this.fallbacks = shared.fallbacks;
        this.openHandles = shared.openHandles;
    }

    /**
     * Another handle on this same session (nothing is loaded again), for another caller; close it when done. The
     * session stays open while any handle is open.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public LoadedModel share() {
        if (closed.get() || openHandles.getAndUpdate(n -> n > 0 ? n + 1 : n) == 0) {
            throw new IllegalStateException("model " + file + " is closed");
        }
        return new LoadedModel(this);
    }

    /** Whether the session is still open: some handle on it (this one or a share) is not closed yet. */
    public boolean isOpen() {
        return openHandles.get() > 0;
    }

    public OrtSession session() {
        return session;
    }

    public Path file() {
        return file;
    }

    /** The execution provider the session runs on. */
    public OrtProvider provider() {
        return provider;
    }

    public List<TensorSpec> inputs() {
        return inputs;
    }

    public List<TensorSpec> outputs() {
        return outputs;
    }

    /** Why the providers before {@link #provider()} were not used: one line per run of them with the same reason. */
    public List<String> fallbacks() {
        return fallbacks;
    }

    /** The file name, for messages. */
    public String name() {
        return String.valueOf(file.getFileName());
    }

    /** Closes this handle (again: nothing); the session closes with its last open handle. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || openHandles.decrementAndGet() > 0) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing session of " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name() + " on " + provider + " " + inputs + " -> " + outputs;
    }
}
