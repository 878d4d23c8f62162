package app.deeplive.engine.models;

/** Shows how far a download or extraction has got. */
public interface Progress {
    /** A bar for one file; {@code total} is -1 when unknown. */
    Bar start(String label, long total, long initial);

    interface Bar extends AutoCloseable {
        void step(long bytes);

        @Override
        void close();
    }

    Progress NONE = (label, total, initial) -> new Bar() {
        @Override
        public void step(long bytes) {}

        @Override
        public void close() {}
    };
}
