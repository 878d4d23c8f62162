package app.deeplive.engine.channel;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import com.sun.jna.Native;

/** The channel's 64-bit frame checksum (dlf_frame_checksum): both sides use it to prove a frame arrived whole. */
public final class FrameChecksum {
    private FrameChecksum() {}

    /** Checksum of a BGRA frame's visible pixels (the bytes between rows are not covered). */
    public static long of(FrameView frame) {
        if (frame.format() != PixelFormat.BGRA) {
            throw new IllegalArgumentException("frame channels carry BGRA frames, not " + frame.format());
        }
        Shim.load();
        return Shim.dlf_frame_checksum(Native.getDirectBufferPointer(frame.pixels()), frame.width(), frame.height(),
                frame.stride(), NativeFrame.FORMAT_BGRA);
    }
}
