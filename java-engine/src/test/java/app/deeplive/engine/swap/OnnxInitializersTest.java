package app.deeplive.engine.swap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.testing.SyntheticModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxInitializersTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheLastInitializerNotAnEarlierOne() {
        OnnxInitializers.FloatTensor emap = OnnxInitializers.last(SyntheticModels.inswapper());
        assertEquals("emap", emap.name());
        assertArrayEquals(new long[] {512, 512}, emap.dims());
        for (int i = 0; i < 512; i += 7) {
            for (int j = 0; j < 512; j += 5) {
                assertEquals(SyntheticModels.emap(i, j), emap.values()[i * 512 + j], 1e-6f, i + "," + j);
            }
        }
    }

    @Test
    void widensAFloat16Initializer() {
        OnnxInitializers.FloatTensor emap = OnnxInitializers.last(SyntheticModels.inswapperFp16());
        assertArrayEquals(new long[] {512, 512}, emap.dims());
        for (int i = 0; i < 512; i += 11) {
            for (int j = 0; j < 512; j += 3) {
                float expected = Float16.toFloat(Float16.fromFloat(SyntheticModels.emap(i, j)));
                assertEquals(expected, emap.values()[i * 512 + j], 1e-6f, i + "," + j);
            }
        }
    }

    @Test
    void aTruncatedModelIsAClearErrorNotACrash() throws Exception {
        byte[] whole = Files.readAllBytes(SyntheticModels.inswapper());
        Path cut = tmp.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        UserFacingException e = assertThrows(UserFacingException.class, () -> OnnxInitializers.last(cut));
        assertTrue(e.getMessage().contains("not a usable ONNX file"), e.getMessage());
    }

    @Test
    void garbageAndModelsWithoutInitializersAreRejected() throws Exception {
        Path junk = tmp.resolve("junk.onnx");
        Files.write(junk, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3});
        assertThrows(UserFacingException.class, () -> OnnxInitializers.last(junk));
        // The synthetic enhancer has a graph but no initializers.
        UserFacingException e = assertThrows(UserFacingException.class, () -> OnnxInitializers.last(SyntheticModels.gfpgan()));
        assertTrue(e.getMessage().contains("no initializers"), e.getMessage());
        Path empty = tmp.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        assertThrows(UserFacingException.class, () -> OnnxInitializers.last(empty));
    }

    @Test
    void aLengthPointingPastTheFileIsCaught() throws Exception {
        // graph field (7, length-delimited) claiming 1000 bytes with only 2 present
        Path lying = tmp.resolve("lying.onnx");
        Files.write(lying, new byte[] {(byte) 0x3a, (byte) 0xe8, 0x07, 0x2a, 0x00});
        UserFacingException e = assertThrows(UserFacingException.class, () -> OnnxInitializers.last(lying));
        assertTrue(e.getMessage().contains("runs past"), e.getMessage());
    }
}
