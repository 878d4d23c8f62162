package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameResult;
import java.util.Objects;

/**
 * A named stage and whether it writes the frame's pixels (only the compositing stage should). Frames that fail in a
 * read-only stage go back {@link FrameResult#SKIPPED}; a failure while writing is {@link FrameResult#FAILED}.
 */
public record StageSpec(String name, Stage stage, boolean writesFrame) {
    public StageSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stage, "stage");
    }

    /** A stage that only reads the frame. */
    public static StageSpec reading(String name, Stage stage) {
        return new StageSpec(name, stage, false);
    }

    /** A stage that writes the frame in place. */
    public static StageSpec writing(String name, Stage stage) {
        return new StageSpec(name, stage, true);
    }
}
