package app.deeplive.engine.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FaceTest {
    private static final float[] KPS = {10, 20, 30, 20, 20, 30, 12, 40, 28, 40};

    @Test
    void copiesItsArraysInAndOut() {
        float[] kps = KPS.clone();
        Face face = new Face(new BoundingBox(0, 0, 40, 50), 0.9f, kps);
        kps[0] = -1;
        face.kps()[1] = -1;
        assertArrayEquals(KPS, face.kps());
        assertEquals(10, face.kpX(Face.LEFT_EYE));
        assertEquals(40, face.kpY(Face.RIGHT_MOUTH));
    }

    @Test
    void gainsAnEmbeddingWithoutChangingTheRest() {
        Face face = new Face(new BoundingBox(0, 0, 40, 50), 0.9f, KPS);
        assertNull(face.embedding());
        assertFalse(face.hasEmbedding());
        float[] e = {0.6f, 0.8f};
        Face recognised = face.withEmbedding(e);
        e[0] = 0;
        assertArrayEquals(new float[] {0.6f, 0.8f}, recognised.embedding());
        assertEquals(face.box(), recognised.box());
        assertEquals(face, new Face(face.box(), face.score(), KPS.clone()));
        assertTrue(recognised.hasEmbedding());
    }

    @Test
    void requiresFiveKeypoints() {
        assertThrows(IllegalArgumentException.class, () -> new Face(new BoundingBox(0, 0, 1, 1), 1, new float[8]));
    }

    @Test
    void boxKnowsItsSizeAndCentre() {
        BoundingBox b = new BoundingBox(10, 20, 50, 100);
        assertEquals(40, b.width());
        assertEquals(80, b.height());
        assertEquals(30, b.centreX());
        assertEquals(60, b.centreY());
        assertTrue(b.contains(10, 100));
        assertFalse(b.contains(9, 50));
    }
}
