package app.deeplive.engine.live;

/**
 * A typed place in every {@link LiveFrame} for one stage's per-frame data (model outputs, crop transforms).
 * A stage creates its slots when the pipeline is built and fills each work item's slot once, up front, so frames
 * carry their buffers from stage to stage without allocating.
 */
public final class FrameSlot<T> {
    private final String name;
    private final int index;

    FrameSlot(String name, int index) {
        this.name = name;
        this.index = index;
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return name;
    }
}
