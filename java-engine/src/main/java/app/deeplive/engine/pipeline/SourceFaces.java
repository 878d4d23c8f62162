package app.deeplive.engine.pipeline;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.swap.Identity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Identities from photos, for {@code swap} and {@code serve} alike: the largest face of each photo (the one the user
 * meant in a photo with bystanders), embedded; several photos of one person averaged.
 */
public final class SourceFaces {
    private SourceFaces() {}

    /** A photo's largest face and its embedding. */
    public record Found(Face face, float[] embedding) {}

    /** The largest face in {@code photo} (BGR) and its embedding, or null when it shows no face. */
    public static Found largestIn(Mat photo, ScrfdDetector detector, ArcFaceRecognizer recognizer) {
        Face face = largest(detector.detect(photo));
        return face == null ? null : new Found(face, recognizer.embed(photo, face.kps()));
    }

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
                Found found = largestIn(photo, detector, recognizer);
                if (found == null) {
                    throw new UserFacingException("no face found in " + image
                            + ": use a photo where the face is clearly visible and not too small");
                }
                embeddings.add(found.embedding());
            }
        }
        return Identity.average(embeddings);
    }

    /** The face with the largest box, or null. */
    static Face largest(List<Face> faces) {
        return faces.isEmpty() ? null : Collections.max(faces, Face.BY_AREA);
    }
}
