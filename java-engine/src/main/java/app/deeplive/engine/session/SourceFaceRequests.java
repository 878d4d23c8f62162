package app.deeplive.engine.session;

import org.bytedeco.opencv.opencv_core.Mat;

/** From what a client sends (a file path or base64 bytes) to the identity in it: decode within limits, then find. */
public final class SourceFaceRequests {
    private final SourceImages images;
    private final SourceFaceFinder finder;

    public SourceFaceRequests(SourceImages images, SourceFaceFinder finder) {
        this.images = images;
        this.finder = finder;
    }

    public SourceFace fromPath(String path) {
        try (Mat image = images.fromPath(path)) {
            return finder.find(image);
        }
    }

    public SourceFace fromBase64(String base64) {
        try (Mat image = images.fromBase64(base64)) {
            return finder.find(image);
        }
    }
}
