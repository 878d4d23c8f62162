package app.deeplive.engine.onnx.gpu;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link LibraryOpener} with JNA, which calls {@code dlopen}: libraries are opened {@code RTLD_NOW | RTLD_GLOBAL}
 * (a missing symbol shows here, with the linker's message, rather than later inside ONNX Runtime) and held for the
 * life of the process, so they are never closed.
 */
final class Dlopen implements LibraryOpener {
    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;
    private static final Map<String, Object> OPTIONS = Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW | RTLD_GLOBAL);
    /** Held so that JNA never disposes of (closes) them. */
    private static final List<NativeLibrary> OPENED = new ArrayList<>();

    @Override
    public String open(String nameOrPath) {
        try {
            NativeLibrary library = NativeLibrary.getInstance(nameOrPath, OPTIONS);
            synchronized (OPENED) {
                OPENED.add(library);
            }
            return null;
        } catch (UnsatisfiedLinkError e) {
            return linkerReason(nameOrPath, e.getMessage());
        }
    }

    /**
     * The dynamic linker's own line from JNA's message, which starts "Unable to load library 'X':" and then lists
     * every variant of the name it tried; the first is the one asked for.
     */
    static String linkerReason(String nameOrPath, String message) {
        if (message == null) {
            return "cannot load " + nameOrPath;
        }
        for (String line : message.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("Unable to load library")) {
                return l;
            }
        }
        return message.strip();
    }
}
