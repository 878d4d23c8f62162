package app.deeplive.engine.swap;

import java.util.Arrays;
import java.util.List;

/**
 * Who a face is swapped into: an L2-normalised identity embedding. Several photos of one person average into one
 * identity (mean of their normalised embeddings, normalised again), which is steadier than any single photo.
 */
public record Identity(float[] embedding) {
    public Identity {
        if (embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("an identity needs an embedding");
        }
        embedding = normalised(embedding);
    }

    /** The averaged identity of several embeddings of the same person. */
    public static Identity average(List<float[]> embeddings) {
        if (embeddings.isEmpty()) {
            throw new IllegalArgumentException("no embeddings to average");
        }
        int n = embeddings.get(0).length;
        float[] sum = new float[n];
        for (float[] e : embeddings) {
            if (e.length != n) {
                throw new IllegalArgumentException("embeddings differ in size: " + n + " and " + e.length);
            }
            float[] unit = normalised(e);
            for (int i = 0; i < n; i++) {
                sum[i] += unit[i];
            }
        }
        return new Identity(sum);
    }

    @Override
    public float[] embedding() {
        return embedding.clone();
    }

    public int dimension() {
        return embedding.length;
    }

    /** Cosine similarity with another normalised embedding of the same size. */
    public float cosine(float[] otherNormalised) {
        return dot(embedding, otherNormalised);
    }

    static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings differ in size: " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return (float) s;
    }

    static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 1e-12)) {
            throw new IllegalArgumentException("an embedding of length zero has no direction");
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identity i && Arrays.equals(embedding, i.embedding);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "Identity[" + embedding.length + "-d]";
    }
}
