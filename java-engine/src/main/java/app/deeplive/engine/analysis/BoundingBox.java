package app.deeplive.engine.analysis;

/** An axis-aligned box in frame pixels, (x1, y1) top-left and (x2, y2) bottom-right. */
public record BoundingBox(float x1, float y1, float x2, float y2) {

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    /** In double, so a large box's area loses no precision when compared. */
    public double area() {
        return (double) width() * height();
    }

    public float centreX() {
        return (x1 + x2) / 2f;
    }

    public float centreY() {
        return (y1 + y2) / 2f;
    }

    /** Whether (x, y) lies inside the box or on its edge. */
    public boolean contains(float x, float y) {
        return x >= x1 && x <= x2 && y >= y1 && y <= y2;
    }
}
