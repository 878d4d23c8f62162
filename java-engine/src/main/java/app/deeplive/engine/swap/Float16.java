package app.deeplive.engine.swap;

/**
 * IEEE 754 binary16 conversions for fp16 model inputs and outputs (Java 17 has no {@code Float.floatToFloat16}).
 * Rounding is to nearest, ties to even, like the hardware and numpy.
 */
public final class Float16 {
    private Float16() {}

    /** The half-precision bits nearest to {@code value}; overflow gives infinity, NaN stays NaN. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) { // infinity or NaN (keep a quiet NaN)
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) { // subnormal half (or zero)
            if (halfExponent < -10) {
                return (short) sign;
            }
            int full = mantissa | 0x800000; // implicit leading one
            int shift = 14 - halfExponent;
            return (short) (sign | roundShift(full, shift));
        }
        // Normal: rounding may carry into the exponent, which is exactly right (up to infinity).
        return (short) (sign | roundShift((halfExponent << 23) | mantissa, 13));
    }

    /** The float a half-precision value represents exactly. */
    public static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal: exact in float
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** {@code value >> shift} rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int truncated = value >>> shift;
        int remainder = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (remainder > half || (remainder == half && (truncated & 1) != 0)) {
            truncated++;
        }
        return truncated;
    }
}
