package app.deeplive.engine.analysis.align;

/**
 * Where the five keypoints (left eye, right eye, nose, left mouth, right mouth) belong in a square crop that a model
 * expects, and the crop's size. Constants from the reference implementations (notes/pipeline-reference.md).
 */
public final class FaceTemplate {
    /** ArcFace recognisers: 112×112. */
    public static final FaceTemplate ARCFACE_112 = new FaceTemplate("arcface-112", 112, new float[] {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f});

    /** inswapper_128: the ArcFace template shifted 8 px right, in a 128×128 crop (8 px margin each side). */
    public static final FaceTemplate INSWAPPER_128 = ARCFACE_112.shifted("inswapper-128", 128, 8f, 0f);

    private static final float[] FFHQ_512 = {
        192.98138f, 239.94708f, 318.90277f, 240.19366f, 256.63416f, 314.01935f, 201.26117f, 371.41043f,
        313.08905f, 371.15118f};

    private final String name;
    private final int size;
    private final float[] points;

    private FaceTemplate(String name, int size, float[] points) {
        this.name = name;
        this.size = size;
        this.points = points;
    }

    /** The FFHQ template of face enhancers (GFPGAN, GPEN), defined at 512 and scaled to {@code size}. */
    public static FaceTemplate ffhq(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("template size must be positive: " + size);
        }
        float k = size / 512f;
        float[] p = new float[FFHQ_512.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = FFHQ_512[i] * k;
        }
        return new FaceTemplate("ffhq-" + size, size, p);
    }

    private FaceTemplate shifted(String newName, int newSize, float dx, float dy) {
        float[] p = points.clone();
        for (int i = 0; i < p.length; i += 2) {
            p[i] += dx;
            p[i + 1] += dy;
        }
        return new FaceTemplate(newName, newSize, p);
    }

    public String name() {
        return name;
    }

    /** Width and height of the crop in pixels. */
    public int size() {
        return size;
    }

    /** The ten target coordinates {@code [x0, y0, …, x4, y4]}, a copy. */
    public float[] points() {
        return points.clone();
    }

    /** The transform taking frame keypoints to this template. */
    public SimilarityTransform transformFrom(float[] frameKps) {
        return SimilarityTransform.estimate(frameKps, points);
    }

    @Override
    public String toString() {
        return name;
    }
}
