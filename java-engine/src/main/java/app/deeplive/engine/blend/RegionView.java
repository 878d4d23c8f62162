package app.deeplive.engine.blend;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One Mat header reused to look at a rectangle of another image (shares its memory, like {@code new Mat(image,
 * rect)}), so per-frame regions cost no new native header. Re-pointing it is an OpenCV header assignment and
 * {@code adjustROI}, which JavaCPP hands back as this same object: nothing is allocated. The Mat it hands out stays
 * valid until the next {@link #of} or {@link #close} (and keeps the image's memory referenced until then); do not
 * close it. Not thread-safe.
 */
public final class RegionView implements AutoCloseable {
    private final Mat header = new Mat();

    /** A header over {@code region} of {@code image} (a 2-D image, the region inside it). */
    public Mat of(Mat image, FaceRegion region) {
        return of(image, region.x(), region.y(), region.width(), region.height());
    }

    /** A header over the {@code width}×{@code height} rectangle at ({@code x}, {@code y}) of {@code image}. */
    public Mat of(Mat image, int x, int y, int width, int height) {
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > image.cols() || y + height > image.rows()) {
            throw new IllegalArgumentException("region " + width + "x" + height + " at " + x + "," + y
                    + " is not inside a " + image.cols() + "x" + image.rows() + " image");
        }
        header.put(image); // the whole image (or the view it is), then shrunk to the region
        header.adjustROI(-y, -(image.rows() - y - height), -x, -(image.cols() - x - width));
        return header;
    }

    @Override
    public void close() {
        header.close();
    }
}
