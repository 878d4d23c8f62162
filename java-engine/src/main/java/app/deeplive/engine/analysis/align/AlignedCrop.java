package app.deeplive.engine.analysis.align;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A face warped onto a template: the small BGR crop (owned; close it) and the transform from frame to crop
 * coordinates, whose inverse pastes results back.
 */
public record AlignedCrop(Mat image, SimilarityTransform frameToCrop) implements AutoCloseable {
    @Override
    public void close() {
        image.close();
    }
}
