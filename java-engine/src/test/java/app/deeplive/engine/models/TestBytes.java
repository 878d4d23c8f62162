package app.deeplive.engine.models;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Generated stand-ins for model files (never real models), and a sink whose disk fills up. */
final class TestBytes {
    private TestBytes() {}

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Writes through to real files until {@code capacity} bytes in total, then fails like a full disk. */
    static FileSink diskFullAfter(long capacity) {
        long[] used = {0};
        return (file, append) -> new FilterOutputStream(FileSink.FILES.open(file, append)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (used[0] + len > capacity) {
                    throw new IOException("No space left on device");
                }
                used[0] += len;
                out.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }
        };
    }
}
