package app.deeplive.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionOptionsTest {
    private static SessionOptions with(double opacity, double mouth, double sharpness, int detectEvery) {
        return new SessionOptions(false, List.of(), 0.6, Enhancer.OFF, 1, mouth, opacity, sharpness, false, detectEvery);
    }

    @Test
    void rangesAreCheckedWhereTheyAreDefined() {
        assertEquals(0.5, with(0.5, 100, 10, 60).opacity());
        assertThrows(IllegalArgumentException.class, () -> with(1.01, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> with(-0.01, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> with(Double.NaN, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> with(1, 100.5, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> with(1, 0, 10.1, 1));
        assertThrows(IllegalArgumentException.class, () -> with(1, 0, 0, 0));
    }

    @Test
    void enhancerNamesRoundTripAndUnknownOnesSayWhatIsAccepted() {
        for (Enhancer e : Enhancer.values()) {
            assertEquals(e, Enhancer.fromWire(e.wireName()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Enhancer.fromWire("GFPGAN"));
        assertEquals("enhancer must be one of off, gfpgan, gpen256, gpen512, got 'GFPGAN'", e.getMessage());
    }
}
