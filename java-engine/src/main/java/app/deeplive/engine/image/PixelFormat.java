package app.deeplive.engine.image;

/** Packed 8-bit pixel layouts a frame may arrive in. OBS hands us BGRA; decoded images are BGR. */
public enum PixelFormat {
    // OpenCV's CV_8UC3 and CV_8UC4, written out so naming a format does not load OpenCV's native libraries
    // (a second's stall the first time, which a live channel would feel as dropped frames).
    BGR(3, 16),
    BGRA(4, 24);

    private final int bytesPerPixel;
    private final int cvType;

    PixelFormat(int bytesPerPixel, int cvType) {
        this.bytesPerPixel = bytesPerPixel;
        this.cvType = cvType;
    }

    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    public int cvType() {
        return cvType;
    }
}
