package app.deeplive.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.testing.SharedData;
import org.junit.jupiter.api.Test;

/** Handles on one loaded session (real SCRFD 500m): the session closes exactly once, with the last open handle. */
class LoadedModelShareTest {
    @Test
    void theSessionClosesOnceWithTheLastHandleWhicheverCloses() {
        LoadedModel original = OrtSessions.open(SharedData.model("scrfd_500m_bnkps.onnx"), OrtConfig.cpu());
        LoadedModel share = original.share();
        assertNotSame(original, share);
        assertSame(original.session(), share.session(), "nothing was loaded again");
        assertEquals(original.inputs(), share.inputs());
        assertEquals(original.provider(), share.provider());

        original.close();
        original.close(); // a handle closes once; a second close of the OrtSession itself would throw
        assertTrue(share.isOpen(), "the share still holds the session");
        assertThrows(IllegalStateException.class, original::share, "a closed handle hands out no more");
        LoadedModel late = share.share();
        share.close();
        assertTrue(late.isOpen());
        late.close();
        assertFalse(original.isOpen());
        assertFalse(late.isOpen());
        assertThrows(IllegalStateException.class, () -> original.session().getInputInfo(), "the session is closed");
    }
}
