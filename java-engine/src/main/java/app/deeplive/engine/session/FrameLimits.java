package app.deeplive.engine.session;

/**
 * The largest frame a session accepts. Frames beyond it are handed back untouched and counted as rejected, so a
 * producer that changes resolution mid-stream cannot make the engine allocate without bound.
 */
public record FrameLimits(int maxWidth, int maxHeight) {
    /** The ceiling any client may ask for (8K). */
    public static final int MAX_SIDE = 8192;
    public static final FrameLimits DEFAULT = new FrameLimits(3840, 2160);

    public FrameLimits {
        if (maxWidth < 1 || maxWidth > MAX_SIDE || maxHeight < 1 || maxHeight > MAX_SIDE) {
            throw new IllegalArgumentException(
                    "frame limits must be 1.." + MAX_SIDE + " per side, got " + maxWidth + "x" + maxHeight);
        }
    }

    public boolean admits(int width, int height) {
        return width <= maxWidth && height <= maxHeight;
    }
}
