package app.deeplive.engine.pipeline;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.swap.Identity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** Identities from photos: the largest face of each photo, embedded, several photos of one person averaged. */
public final class SourceFaces {
    private SourceFaces() {}

    /**
     * The averaged identity of the largest face in each image.
     *
     * @throws UserFacingException naming the image when one cannot be read or shows no face
     */
    public static Identity identityOf(List<Path> images, ScrfdDetector detector, ArcFaceRecognizer recognizer) {
        if (images.isEmpty()) {
            throw new UserFacingException("no source image given");
        }
        List<float[]> embeddings = new ArrayList<>();
        for (Path image : images) {
            try (Mat photo = ImageLoader.load(image)) {
                Face face = largest(detector.detect(photo));
                if (face == null) {
                    throw new UserFacingException("no face found in " + image
                            + ": use a photo where the face is clearly visible and not too small");
                }
                embeddings.add(recognizer.embed(photo, face.kps()));
            }
        }
        return Identity.average(embeddings);
    }

    /** The face with the largest box, or null. */
    public static Face largest(List<Face> faces) {
        Face best = null;
        for (Face f : faces) {
            if (best == null || f.box().width() * f.box().height() > best.box().width() * best.box().height()) {
                best = f;
            }
        }
        return best;
    }
}
