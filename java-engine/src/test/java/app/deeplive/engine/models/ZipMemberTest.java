package app.deeplive.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipMemberTest {
    private static final byte[] MODEL = TestBytes.random(40_000, 3);

    @TempDir
    Path dir;

    private final ZipMember zip = new ZipMember(FileSink.FILES, Progress.NONE);

    private Path archive(Map<String, byte[]> members) throws Exception {
        Path p = dir.resolve("pack.zip");
        Files.write(p, TestBytes.zip(members));
        return p;
    }

    @Test
    void extractsAMemberAtTheTopOrInAFolder() throws Exception {
        Path a = archive(Map.of("top.onnx", MODEL, "buffalo_l/inner.onnx", MODEL));

        Downloaded top = zip.extract(a, "top.onnx", dir.resolve("t"), (long) MODEL.length, Sha256.of(MODEL));
        Downloaded inner = zip.extract(a, "inner.onnx", dir.resolve("i"), null, null);

        assertArrayEquals(MODEL, Files.readAllBytes(top.file()));
        assertEquals(Sha256.of(MODEL), inner.sha256());
        assertEquals(MODEL.length, inner.size());
    }

    @Test
    void aMissingMemberIsReported() throws Exception {
        Path a = archive(Map.of("other.onnx", MODEL));

        ZipMember.BadMember e = assertThrows(ZipMember.BadMember.class,
                () -> zip.extract(a, "det_10g.onnx", dir.resolve("x"), null, null));

        assertEquals("pack.zip has no member det_10g.onnx", e.getMessage());
    }

    @Test
    void aMemberLargerThanExpectedIsCutShortAndDeleted() throws Exception {
        Path a = archive(Map.of("m.onnx", MODEL));

        ZipMember.BadMember e = assertThrows(ZipMember.BadMember.class,
                () -> zip.extract(a, "m.onnx", dir.resolve("x"), 1000L, null));

        assertTrue(e.getMessage().contains("larger than 1000 bytes"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void aMemberWithTheWrongHashIsDeleted() throws Exception {
        Path a = archive(Map.of("m.onnx", MODEL));

        ZipMember.BadMember e = assertThrows(ZipMember.BadMember.class,
                () -> zip.extract(a, "m.onnx", dir.resolve("x"), null, "0".repeat(64)));

        assertTrue(e.getMessage().contains("has sha256 " + Sha256.of(MODEL)), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
