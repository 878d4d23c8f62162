package app.deeplive.engine.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;

/** Packed 8-bit pixel layouts a frame may arrive in. OBS hands us BGRA; decoded images are BGR. */
public enum PixelFormat {
    BGR(3, CV_8UC3),
    BGRA(4, CV_8UC4);

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
