package app.deeplive.engine.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads an encoded image's width and height from its header alone (JPEG, PNG, BMP, WebP), so a decompression bomb
 * is refused before any pixel is allocated. Every offset is checked against the data's length.
 */
public final class ImageHeader {
    private ImageHeader() {}

    /** Width and height; null when the format is not one of the four or the header is cut short or inconsistent. */
    public static int[] dimensions(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (startsWith(data, 0xFF, 0xD8)) {
            return jpeg(b);
        }
        if (startsWith(data, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return data.length >= 24 ? new int[] {b.getInt(16), b.getInt(20)} : null;
        }
        if (startsWith(data, 'B', 'M')) {
            if (data.length < 26) {
                return null;
            }
            b.order(ByteOrder.LITTLE_ENDIAN);
            int headerSize = b.getInt(14);
            if (headerSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sizes
                return new int[] {Short.toUnsignedInt(b.getShort(18)), Short.toUnsignedInt(b.getShort(20))};
            }
            return new int[] {b.getInt(18), Math.abs(b.getInt(22))}; // negative height = top-down rows
        }
        if (data.length >= 30 && startsWith(data, 'R', 'I', 'F', 'F') && data[8] == 'W' && data[9] == 'E'
                && data[10] == 'B' && data[11] == 'P') {
            return webp(b.order(ByteOrder.LITTLE_ENDIAN), data);
        }
        return null;
    }

    private static int[] jpeg(ByteBuffer b) {
        int i = 2;
        int n = b.limit();
        while (i + 4 <= n) {
            if ((b.get(i) & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b.get(i + 1) & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            int length = Short.toUnsignedInt(b.getShort(i + 2));
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                if (i + 9 > n) {
                    return null;
                }
                return new int[] {Short.toUnsignedInt(b.getShort(i + 7)), Short.toUnsignedInt(b.getShort(i + 5))};
            }
            if (length < 2) {
                return null;
            }
            i += 2 + length;
        }
        return null;
    }

    private static int[] webp(ByteBuffer b, byte[] d) {
        String chunk = new String(d, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8 ":
                return new int[] {b.getShort(26) & 0x3FFF, b.getShort(28) & 0x3FFF};
            case "VP8L": {
                int bits = b.getInt(21);
                return new int[] {(bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1};
            }
            case "VP8X":
                return new int[] {u24(d, 24) + 1, u24(d, 27) + 1};
            default:
                return null;
        }
    }

    private static int u24(byte[] d, int at) {
        return (d[at] & 0xFF) | (d[at + 1] & 0xFF) << 8 | (d[at + 2] & 0xFF) << 16;
    }

    private static boolean startsWith(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
