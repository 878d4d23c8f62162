package app.deeplive.engine.swap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityTest {
    @Test
    void severalPhotosAverageIntoOneNormalisedIdentity() {
        Identity avg = Identity.average(List.of(new float[] {3, 0, 0}, new float[] {0, 0.5f, 0}));
        float h = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {h, h, 0}, avg.embedding(), 1e-6f); // each photo counts equally, whatever its norm
        assertEquals(1.0, avg.cosine(new float[] {h, h, 0}), 1e-6);
    }

    @Test
    void embeddingsAreNormalisedAndMismatchesRefused() {
        assertArrayEquals(new float[] {0.6f, 0.8f}, new Identity(new float[] {3, 4}).embedding(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> new Identity(new float[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> Identity.average(List.of(new float[] {1, 0}, new float[] {1, 0, 0})));
        assertEquals(new Identity(new float[] {1, 1}), new Identity(new float[] {2, 2}));
    }
}
