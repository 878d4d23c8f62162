package app.deeplive.engine.analysis.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FaceTemplateTest {
    @Test
    void arcfaceIsTheReferenceTemplateAt112() {
        assertEquals(112, FaceTemplate.ARCFACE_112.size());
        assertArrayEquals(new float[] {38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f,
            70.7299f, 92.2041f}, FaceTemplate.ARCFACE_112.points());
    }

    @Test
    void inswapperIsArcfaceShiftedEightPixelsRightIn128() {
        assertEquals(128, FaceTemplate.INSWAPPER_128.size());
        assertArrayEquals(new float[] {46.2946f, 51.6963f, 81.5318f, 51.5014f, 64.0252f, 71.7366f, 49.5493f, 92.3655f,
            78.7299f, 92.2041f}, FaceTemplate.INSWAPPER_128.points(), 1e-4f);
    }

    @Test
    void ffhqIsDefinedAt512AndScaledToTheModelSize() {
        float[] at512 = {192.98138f, 239.94708f, 318.90277f, 240.19366f, 256.63416f, 314.01935f, 201.26117f, 371.41043f,
            313.08905f, 371.15118f};
        assertArrayEquals(at512, FaceTemplate.ffhq(512).points(), 1e-4f);
        float[] at256 = FaceTemplate.ffhq(256).points();
        for (int i = 0; i < at512.length; i++) {
            assertEquals(at512[i] / 2, at256[i], 1e-4f);
        }
        assertEquals(256, FaceTemplate.ffhq(256).size());
    }

    @Test
    void pointsAreACopy() {
        FaceTemplate.ARCFACE_112.points()[0] = -1;
        assertEquals(38.2946f, FaceTemplate.ARCFACE_112.points()[0]);
    }
}
