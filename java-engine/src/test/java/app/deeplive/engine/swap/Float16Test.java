package app.deeplive.engine.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {
    @Test
    void knownValuesHaveTheirIeeeBits() {
        assertEquals((short) 0x3c00, Float16.fromFloat(1f));
        assertEquals((short) 0xc000, Float16.fromFloat(-2f));
        assertEquals((short) 0x0000, Float16.fromFloat(0f));
        assertEquals((short) 0x8000, Float16.fromFloat(-0f));
        assertEquals((short) 0x7bff, Float16.fromFloat(65504f));
        assertEquals((short) 0x7c00, Float16.fromFloat(65520f)); // rounds up past the largest half
        assertEquals((short) 0x7c00, Float16.fromFloat(Float.POSITIVE_INFINITY));
        assertEquals((short) 0x0001, Float16.fromFloat(0x1p-24f)); // smallest subnormal
        assertEquals((short) 0x0000, Float16.fromFloat(0x1p-26f)); // below half of it
        assertEquals((short) 0x3555, Float16.fromFloat(1f / 3f));
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))));
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16.toFloat((short) h);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals((short) h, Float16.fromFloat(f), "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void roundsToNearestTiesToEven() {
        float one = 1f;
        float ulp = 0x1p-10f; // spacing of halves in [1, 2)
        assertEquals((short) 0x3c00, Float16.fromFloat(one + ulp / 2)); // tie: 1.0 is even
        assertEquals((short) 0x3c02, Float16.fromFloat(one + 3 * ulp / 2)); // tie: goes to the even 0x3c02
        assertEquals((short) 0x3c01, Float16.fromFloat(one + ulp / 2 + 0x1p-20f)); // just above the tie
        for (int i = 0; i < 10_000; i++) {
            float x = (float) Math.sin(i) * 100f;
            short h = Float16.fromFloat(x);
            float back = Float16.toFloat(h);
            float spacing = Math.abs(Float16.toFloat((short) (h + 1)) - back);
            assertTrue(Math.abs(back - x) <= spacing / 2, x + " -> " + back);
        }
    }
}
