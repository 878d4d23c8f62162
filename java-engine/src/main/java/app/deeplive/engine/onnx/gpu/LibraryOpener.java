package app.deeplive.engine.onnx.gpu;

/** Opens a shared library for good, so that libraries loaded later that ask for it by name find it. */
interface LibraryOpener {
    /**
     * Opens {@code nameOrPath}: an absolute path, or a bare file name the system's library search resolves.
     *
     * @return null when it is open, else the dynamic linker's reason
     */
    String open(String nameOrPath);
}
