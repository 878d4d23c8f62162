package app.deeplive.engine.onnx.gpu;

import java.util.List;

/**
 * The CUDA libraries, in the order they are loaded: each after everything it needs. Loading them by absolute path
 * before ONNX Runtime asks for them is what makes {@code LD_LIBRARY_PATH} unnecessary: when the CUDA provider (or
 * cuDNN, which opens its parts at run time) asks for {@code libcublas.so.13}, the dynamic linker finds a library of
 * that name already loaded and uses it.
 *
 * <p>What the CUDA-13 provider of ONNX Runtime 1.24.1 ({@code org.bytedeco:onnxruntime:1.24.1-1.5.13:linux-x86_64-gpu})
 * needs, read with {@code readelf -d libonnxruntime_providers_cuda.so}: cublasLt, cublas, cufft, cudart and cudnn.
 * cudart and cufft come with the GPU build ({@code org.bytedeco:cuda-redist}); cuBLAS and cuDNN are not published
 * to Maven Central for CUDA 13, so they come from the user's system. NVRTC and nvJitLink come with the build for
 * cuDNN's run-time compiled engines. cuDNN's parts, graph first and the {@code libcudnn.so.9} front last, follow
 * NVIDIA's cuDNN 9 dependency order.
 */
final class CudaLoadOrder {
    private static final String CUBLAS = "cuBLAS for CUDA 13 (Debian/Ubuntu: NVIDIA's libcublas-13-x package; pip: "
            + "nvidia-cublas)";
    private static final String CUDNN = "cuDNN 9 for CUDA 13 (Debian/Ubuntu: NVIDIA's cudnn9-cuda-13 package; pip: "
            + "nvidia-cudnn-cu13)";
    private static final String WITH_ENGINE = "the GPU engine again (its gpu-natives folder is incomplete)";

    static final List<CudaLibrary> LIBRARIES = List.of(
            CudaLibrary.required("libcudart.so.13", WITH_ENGINE),
            CudaLibrary.required("libcublasLt.so.13", CUBLAS),
            CudaLibrary.required("libcublas.so.13", CUBLAS),
            CudaLibrary.required("libcufft.so.12", WITH_ENGINE),
            CudaLibrary.optional("libnvrtc-builtins.so.13.1"),
            CudaLibrary.optional("libnvrtc.so.13"),
            CudaLibrary.optional("libnvJitLink.so.13"),
            CudaLibrary.optional("libcudnn_graph.so.9"),
            CudaLibrary.optional("libcudnn_engines_precompiled.so.9"),
            CudaLibrary.optional("libcudnn_engines_runtime_compiled.so.9"),
            CudaLibrary.optional("libcudnn_heuristic.so.9"),
            CudaLibrary.optional("libcudnn_ops.so.9"),
            CudaLibrary.optional("libcudnn_cnn.so.9"),
            CudaLibrary.optional("libcudnn_adv.so.9"),
            CudaLibrary.required("libcudnn.so.9", CUDNN));

    private CudaLoadOrder() {}
}
