package app.deeplive.engine.channel;

import app.deeplive.engine.UserFacingException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The native frame-channel library (native-shim's libdlfshim.so, carried in the jar under linux-x86-64/), bound
 * with JNA direct mapping: a plain native call per function, no reflection per frame. Mirrors
 * native-shim/include/dlf/frame_channel.h; only primitives and pointers cross, structs are read at fixed offsets.
 */
final class Shim {
    private Shim() {}

    private static final class Loaded {
        static {
            try {
                Native.register(Shim.class, NativeLibrary.getInstance("dlfshim"));
            } catch (UnsatisfiedLinkError e) {
                throw new UserFacingException(
                        "the frame channel library libdlfshim.so could not be loaded (" + e.getMessage()
                                + "); rebuild the engine jar with `mvn package`, which builds native-shim first",
                        e);
            }
        }

        static void ensure() {}
    }

    /** Loads the library once; every class that calls Shim does this first. */
    static void load() {
        Loaded.ensure();
    }

    static native int dlf_channel_create(Pointer params, Pointer outChannel);

    static native int dlf_channel_attach(String name, Pointer outChannel);

    static native void dlf_channel_close(Pointer channel);

    static native String dlf_channel_name(Pointer channel);

    static native long dlf_channel_max_frame_bytes(Pointer channel);

    static native int dlf_channel_slot_count(Pointer channel);

    static native int dlf_channel_stats_get(Pointer channel, Pointer outStats);

    /** C bool: one byte. */
    static native byte dlf_producer_has_consumer(Pointer channel);

    static native int dlf_producer_begin(Pointer channel, Pointer frame, long timeoutNanos);

    static native int dlf_producer_submit(Pointer channel, Pointer frame);

    static native int dlf_producer_receive(Pointer channel, Pointer frame, long timeoutNanos);

    static native int dlf_producer_release(Pointer channel, Pointer frame);

    static native int dlf_consumer_acquire(Pointer channel, Pointer frame, long timeoutNanos);

    static native int dlf_consumer_complete(Pointer channel, Pointer frame, int result, long checksum);

    static native long dlf_frame_checksum(Pointer data, int width, int height, int stride, int format);

    static native String dlf_status_message(int status);

    static native String dlf_shim_version();
}
