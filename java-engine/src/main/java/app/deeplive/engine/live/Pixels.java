package app.deeplive.engine.live;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The per-face pixel work of the live stages, straight between the frame's own memory (8-bit BGR/BGRA, any stride)
 * and the models' planar float tensors: bilinear warps into crops and the masked blend back. Plain loops over direct
 * buffers with absolute indices: no full-frame pass, no temporary images, nothing allocated.
 */
final class Pixels {
    private Pixels() {}

    /**
     * Fills a size×size RGB planar crop at {@code dst[offset..]}: crop pixel (u, v) is the frame at
     * {@code cropToFrame(u, v)}, bilinear, black outside; each value is {@code channel · scale + add}.
     */
    static void warpToPlanes(ByteBuffer px, int width, int height, int stride, int bpp, double[] cropToFrame,
            int size, FloatBuffer dst, int offset, float scale, float add) {
        int plane = size * size;
        double a = cropToFrame[0], b = cropToFrame[1], c = cropToFrame[2];
        double d = cropToFrame[3], e = cropToFrame[4], f = cropToFrame[5];
        for (int v = 0; v < size; v++) {
            double rowX = b * v + c;
            double rowY = e * v + f;
            int o = offset + v * size;
            for (int u = 0; u < size; u++) {
                double x = a * u + rowX;
                double y = d * u + rowY;
                int i = o + u;
                if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
                    dst.put(i, add);
                    dst.put(i + plane, add);
                    dst.put(i + 2 * plane, add);
                    continue;
                }
                int x0 = (int) x;
                int y0 = (int) y;
                int x1 = Math.min(x0 + 1, width - 1);
                int y1 = Math.min(y0 + 1, height - 1);
                float fx = (float) (x - x0);
                float fy = (float) (y - y0);
                int p00 = y0 * stride + x0 * bpp;
                int p01 = y0 * stride + x1 * bpp;
                int p10 = y1 * stride + x0 * bpp;
                int p11 = y1 * stride + x1 * bpp;
                for (int ch = 0; ch < 3; ch++) {
                    // Frames are BGR(A); planes are R, G, B.
                    int k = 2 - ch;
                    float top = (px.get(p00 + k) & 0xff) * (1 - fx) + (px.get(p01 + k) & 0xff) * fx;
                    float bottom = (px.get(p10 + k) & 0xff) * (1 - fx) + (px.get(p11 + k) & 0xff) * fx;
                    dst.put(i + ch * plane, (top * (1 - fy) + bottom * fy) * scale + add);
                }
            }
        }
    }

    /** Bilinear sample of byte {@code k} (0 B, 1 G, 2 R) of the frame pixel at (x, y); 0 outside the frame. */
    static float sampleFrame(ByteBuffer px, int width, int height, int stride, int bpp, int k, double x, double y) {
        if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
            return 0f;
        }
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(x0 + 1, width - 1);
        int y1 = Math.min(y0 + 1, height - 1);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        float top = (px.get(y0 * stride + x0 * bpp + k) & 0xff) * (1 - fx) + (px.get(y0 * stride + x1 * bpp + k) & 0xff) * fx;
        float bottom = (px.get(y1 * stride + x0 * bpp + k) & 0xff) * (1 - fx)
                + (px.get(y1 * stride + x1 * bpp + k) & 0xff) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /** Bilinear sample of plane {@code ch} of a size×size planar image at (u, v), which must lie inside it. */
    static float samplePlane(FloatBuffer src, int offset, int size, int ch, double u, double v) {
        int u0 = (int) u;
        int v0 = (int) v;
        int u1 = Math.min(u0 + 1, size - 1);
        int v1 = Math.min(v0 + 1, size - 1);
        float fu = (float) (u - u0);
        float fv = (float) (v - v0);
        int base = offset + ch * size * size;
        float top = src.get(base + v0 * size + u0) * (1 - fu) + src.get(base + v0 * size + u1) * fu;
        float bottom = src.get(base + v1 * size + u0) * (1 - fu) + src.get(base + v1 * size + u1) * fu;
        return top * (1 - fv) + bottom * fv;
    }

    /**
     * Blends a face back into the frame in place, only inside the region its crop covers: frame pixel (x, y) takes
     * weight w = mask(frameToCrop(x, y)) of the face's colour ({@code value · scale + add}, RGB planes) and 1 − w
     * of its own. Alpha is left alone.
     */
    static void blendFromPlanes(ByteBuffer px, int width, int height, int stride, int bpp, double[] frameToCrop,
            double[] cropToFrame, FloatBuffer face, int offset, int size, float[] mask, float scale, float add) {
        // The region: the crop's corners in the frame, clipped.
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int corner = 0; corner < 4; corner++) {
            double u = (corner & 1) * (size - 1);
            double v = (corner >> 1) * (size - 1);
            double x = cropToFrame[0] * u + cropToFrame[1] * v + cropToFrame[2];
            double y = cropToFrame[3] * u + cropToFrame[4] * v + cropToFrame[5];
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        int x1 = (int) Math.max(0, Math.floor(minX));
        int y1 = (int) Math.max(0, Math.floor(minY));
        int x2 = (int) Math.min(width - 1, Math.ceil(maxX));
        int y2 = (int) Math.min(height - 1, Math.ceil(maxY));
        double a = frameToCrop[0], b = frameToCrop[1], c = frameToCrop[2];
        double d = frameToCrop[3], e = frameToCrop[4], f = frameToCrop[5];
        int plane = size * size;
        for (int y = y1; y <= y2; y++) {
            double rowU = b * y + c;
            double rowV = e * y + f;
            int row = y * stride;
            for (int x = x1; x <= x2; x++) {
                double u = a * x + rowU;
                double v = d * x + rowV;
                if (u < 0 || v < 0 || u > size - 1 || v > size - 1) {
                    continue;
                }
                int u0 = (int) u;
                int v0 = (int) v;
                int u1 = Math.min(u0 + 1, size - 1);
                int v1 = Math.min(v0 + 1, size - 1);
                float fu = (float) (u - u0);
                float fv = (float) (v - v0);
                float w00 = (1 - fu) * (1 - fv), w01 = fu * (1 - fv), w10 = (1 - fu) * fv, w11 = fu * fv;
                int i00 = v0 * size + u0, i01 = v0 * size + u1, i10 = v1 * size + u0, i11 = v1 * size + u1;
                float w = mask[i00] * w00 + mask[i01] * w01 + mask[i10] * w10 + mask[i11] * w11;
                if (w <= 0) {
                    continue;
                }
                int p = row + x * bpp;
                for (int ch = 0; ch < 3; ch++) {
                    int base = offset + ch * plane;
                    float value = face.get(base + i00) * w00 + face.get(base + i01) * w01 + face.get(base + i10) * w10
                            + face.get(base + i11) * w11;
                    float colour = Math.max(0f, Math.min(255f, value * scale + add));
                    int k = p + 2 - ch;
                    float old = px.get(k) & 0xff;
                    px.put(k, (byte) Math.round(old + w * (colour - old)));
                }
            }
        }
    }

    /**
     * A size×size blend mask: 1 inside, falling smoothly to 0 over {@code edge} of the side at the border (the
     * feathered edge the reference paste-backs make by eroding and blurring a white square).
     */
    static float[] featherMask(int size, double edge) {
        float[] mask = new float[size * size];
        double ramp = Math.max(1, edge * size);
        for (int v = 0; v < size; v++) {
            for (int u = 0; u < size; u++) {
                double dist = Math.min(Math.min(u, v), Math.min(size - 1 - u, size - 1 - v));
                double t = Math.max(0, Math.min(1, dist / ramp));
                mask[v * size + u] = (float) (t * t * (3 - 2 * t));
            }
        }
        return mask;
    }
}
