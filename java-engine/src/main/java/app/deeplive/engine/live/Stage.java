package app.deeplive.engine.live;

/**
 * One step of the live pipeline (analysis, swap, enhance, composite) as a function on a reusable work item. Each
 * stage runs on a thread of its own, so it may keep scratch buffers; it is called for one frame at a time. A stage
 * reads what earlier stages left in the {@link LiveFrame} and writes its own results there. Throwing marks the frame
 * failed: later stages skip it and it goes back as it is.
 */
@FunctionalInterface
public interface Stage {
    void process(LiveFrame frame) throws Exception;
}
