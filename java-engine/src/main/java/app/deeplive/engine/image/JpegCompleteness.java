package app.deeplive.engine.image;

/**
 * Whether a JPEG stream is complete. libjpeg decodes a truncated file with only a warning and grey rows, so the
 * engine checks the structure itself: walk the marker segments from SOI, skip each entropy-coded scan (where 0xFF
 * is only ever followed by 0x00 or a restart marker), and require the EOI marker before the data ends. An EXIF
 * thumbnail's own EOI sits inside an APP1 segment and is skipped with it.
 */
final class JpegCompleteness {
    private JpegCompleteness() {}

    static boolean isJpeg(byte[] data) {
        return data.length >= 3 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8 && (data[2] & 0xFF) == 0xFF;
    }

    /** Why the JPEG is incomplete, or {@code null} when it ends properly. */
    static String problem(byte[] data) {
        int i = 2;
        while (true) {
            // Fill bytes (0xFF repeated) may precede a marker.
            while (i < data.length && (data[i] & 0xFF) == 0xFF && i + 1 < data.length && (data[i + 1] & 0xFF) == 0xFF) {
                i++;
            }
            if (i + 1 >= data.length) {
                return "truncated (no end-of-image marker)";
            }
            if ((data[i] & 0xFF) != 0xFF) {
                i++; // extraneous bytes between segments: libjpeg skips them too
                continue;
            }
            int marker = data[i + 1] & 0xFF;
            i += 2;
            if (marker == 0xD9) {
                return null;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers without a length
            }
            if (i + 1 >= data.length) {
                return "truncated (in a segment header)";
            }
            int length = ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
            if (length < 2) {
                return "corrupt (segment length " + length + " at byte " + i + ")";
            }
            i += length;
            if (i > data.length) {
                return "truncated (inside a segment)";
            }
            if (marker == 0xDA) {
                i = skipScan(data, i);
            }
        }
    }

    /** The index of the first marker after an entropy-coded scan starting at {@code i}, or the data length. */
    private static int skipScan(byte[] data, int i) {
        while (i + 1 < data.length) {
            if ((data[i] & 0xFF) == 0xFF) {
                int next = data[i + 1] & 0xFF;
                if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) {
                    return i;
                }
            }
            i++;
        }
        return data.length;
    }
}
