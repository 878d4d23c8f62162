package app.deeplive.engine.channel;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.function.ToIntFunction;

/** Ownership of one native dlf_channel pointer: closes it exactly once. */
final class ChannelHandle {
    private Pointer pointer;
    private final String name;

    private ChannelHandle(Pointer pointer) {
        this.pointer = pointer;
        this.name = Shim.dlf_channel_name(pointer);
    }

    /** Runs a create/attach call that writes the new handle through its out-pointer argument. */
    static ChannelHandle open(ToIntFunction<Pointer> call, String what) {
        Shim.load();
        try (Memory out = new Memory(Native.POINTER_SIZE)) {
            out.setPointer(0, null);
            ChannelException.check(call.applyAsInt(out), what);
            return new ChannelHandle(out.getPointer(0));
        }
    }

    /** The live pointer; throws once closed. */
    Pointer pointer() {
        if (pointer == null) {
            throw new IllegalStateException("frame channel " + name + " is closed");
        }
        return pointer;
    }

    String name() {
        return name;
    }

    boolean isOpen() {
        return pointer != null;
    }

    ChannelStats stats() {
        try (Memory out = new Memory(48)) {
            ChannelException.check(Shim.dlf_channel_stats_get(pointer(), out), "frame channel " + name);
            return new ChannelStats(out.getLong(0), out.getLong(8), out.getLong(16), out.getLong(24), out.getLong(32),
                    out.getLong(40));
        }
    }

    void close() {
        if (pointer != null) {
            Shim.dlf_channel_close(pointer);
            pointer = null;
        }
    }
}
