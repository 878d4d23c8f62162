package app.deeplive.engine.onnx;

/**
 * A wrapper of a loaded model that serves one caller at a time with scratch buffers of its own. Another thread that
 * should not wait gets its own wrapper over the same loaded model; the model closes with the last wrapper over it.
 *
 * @param <W> the wrapper's own type
 */
public interface ModelWrapper<W extends ModelWrapper<W>> extends AutoCloseable {
    /** Another wrapper over the same loaded model (nothing is read from the file again), for another thread. */
    W forAnotherCaller();

    /** Frees this wrapper's buffers, once a call in flight on it is done, and its handle on the model. */
    @Override
    void close();
}
