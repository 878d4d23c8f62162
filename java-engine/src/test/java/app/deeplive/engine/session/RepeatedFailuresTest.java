package app.deeplive.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RepeatedFailuresTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theSameFailureIsLoggedOncePerIntervalWithTheCountLeftOut() {
        RepeatedFailures f = new RepeatedFailures();
        assertEquals("boom", f.line("boom", 0));
        assertNull(f.line("boom", SECOND));
        assertNull(f.line("boom", 2 * SECOND));
        assertEquals("boom (and 2 more frames like it)", f.line("boom", RepeatedFailures.INTERVAL_NANOS));
        assertNull(f.line("boom", RepeatedFailures.INTERVAL_NANOS + SECOND));
    }

    @Test
    void aDifferentFailureIsLoggedAtOnce() {
        RepeatedFailures f = new RepeatedFailures();
        assertEquals("boom", f.line("boom", 0));
        assertEquals("bang", f.line("bang", 1));
        assertEquals("boom", f.line("boom", 2));
    }
}
