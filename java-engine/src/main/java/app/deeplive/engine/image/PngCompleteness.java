package app.deeplive.engine.image;

/**
 * Whether a PNG stream is complete: its chunks, walked from the signature by their lengths, must all lie within the
 * data and end with IEND. libpng decodes a cut-off file with warnings on the process's stderr (or gives up with
 * them); the engine says what is wrong itself instead. CRCs are left to the decoder.
 */
final class PngCompleteness {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private PngCompleteness() {}

    static boolean isPng(byte[] data) {
        if (data.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (data[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Why the PNG is incomplete, or {@code null} when its last chunk is IEND and every chunk fits. */
    static String problem(byte[] data) {
        long i = SIGNATURE.length;
        while (true) {
            if (i + 8 > data.length) {
                return "truncated (no IEND chunk)";
            }
            int at = (int) i;
            long length = ((data[at] & 0xFFL) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8)
                    | (data[at + 3] & 0xFF);
            String type = new String(data, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE) {
                return "corrupt (chunk length " + length + " at byte " + at + ")";
            }
            long end = i + 12 + length; // length, type, data, CRC
            if (end > data.length) {
                return "truncated (inside a chunk)";
            }
            if (type.equals("IEND")) {
                return null;
            }
            i = end;
        }
    }
}
