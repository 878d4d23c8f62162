package app.deeplive.engine.session;

import app.deeplive.engine.swap.Identity;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The identity a session swaps in: the face found in the user's source image (its box and score, for the reply)
 * and its L2-normalised embedding. Immutable: the arrays are copied in and only read-only views go out.
 */
public final class SourceFace {
    private final float[] box;
    private final float score;
    private final float[] embedding;

    /**
     * @param box x1, y1, x2, y2 in source-image pixels
     * @param embedding the recogniser's normalised embedding (any length &gt; 0)
     */
    public SourceFace(float[] box, float score, float[] embedding) {
        if (box.length != 4) {
            throw new IllegalArgumentException("box needs 4 values, got " + box.length);
        }
        if (embedding.length == 0) {
            throw new IllegalArgumentException("empty embedding");
        }
        this.box = box.clone();
        this.score = score;
        this.embedding = embedding.clone();
    }

    /**
     * One identity from several photos of the same person (their embeddings averaged, as {@code swap --source a,b,c}
     * does); the box and score are the first photo's, for the reply.
     */
    public static SourceFace averaged(List<SourceFace> photos) {
        if (photos.size() == 1) {
            return photos.get(0);
        }
        SourceFace first = photos.get(0);
        return new SourceFace(first.box, first.score,
                Identity.average(photos.stream().map(f -> f.embedding).toList()).embedding());
    }

    public float[] box() {
        return box.clone();
    }

    public float score() {
        return score;
    }

    /** Read-only view of the embedding; no copy, so a pipeline may read it every frame. */
    public FloatBuffer embedding() {
        return FloatBuffer.wrap(embedding).asReadOnlyBuffer();
    }

    /** The embedding as the swap pipeline takes it. */
    public Identity identity() {
        return new Identity(embedding);
    }

    public int embeddingSize() {
        return embedding.length;
    }

    @Override
    public String toString() {
        return "SourceFace" + Arrays.toString(box) + " score " + score;
    }
}
