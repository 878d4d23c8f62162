package app.deeplive.engine.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.List;

/**
 * An open ONNX Runtime session and what is known about it: the file it came from, the provider it runs on, its
 * inputs and outputs in graph order, and why better providers were passed over. Close it to free the session.
 */
public final class LoadedModel implements AutoCloseable {
    private final OrtSession session;
    private final Path file;
    private final OrtProvider provider;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final List<String> fallbacks;

    LoadedModel(OrtSession session, Path file, OrtProvider provider, List<TensorSpec> inputs, List<TensorSpec> outputs,
            List<String> fallbacks) {
        this.session = session;
        this.file = file;
        this.provider = provider;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.fallbacks = List.copyOf(fallbacks);
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

    @Override
    public void close() {
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
