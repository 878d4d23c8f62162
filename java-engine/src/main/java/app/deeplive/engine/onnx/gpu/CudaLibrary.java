package app.deeplive.engine.onnx.gpu;

/**
 * One CUDA library ONNX Runtime's CUDA provider needs, by the file name the dynamic linker looks for.
 *
 * @param soname the name other libraries ask for (their {@code DT_NEEDED}, or cuDNN's own {@code dlopen})
 * @param required whether the CUDA provider cannot run without it; an optional one is loaded when found and
 *     otherwise left to whoever asks for it
 * @param install what a user installs to get it, for the one-line reason when it is missing
 */
record CudaLibrary(String soname, boolean required, String install) {

    static CudaLibrary required(String soname, String install) {
        return new CudaLibrary(soname, true, install);
    }

    static CudaLibrary optional(String soname) {
        return new CudaLibrary(soname, false, "");
    }
}
