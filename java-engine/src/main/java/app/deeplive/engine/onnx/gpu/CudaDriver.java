package app.deeplive.engine.onnx.gpu;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.ptr.IntByReference;

/**
 * The NVIDIA driver as the CUDA runtime will find it: {@code libcuda.so.1}, which only the driver installs and no
 * engine may bring. Asked before anything else, because "no driver", "no GPU" and "driver too old for CUDA 13" are
 * the common reasons the GPU cannot be used, and each has its own fix.
 */
final class CudaDriver {
    /** The CUDA major version the GPU build's runtime libraries need the driver to support. */
    static final int CUDA_MAJOR = 13;
    private static final int CUDA_ERROR_NO_DEVICE = 100;

    /** What the driver answered: {@code cuInit}'s status, its CUDA version (1000·major + 10·minor), its GPUs. */
    record Answer(int initStatus, int cudaVersion, int devices) {}

    private CudaDriver() {}

    /** Why the GPU cannot be used, in one line, or null when the driver is fit; asks the driver on this machine. */
    static String problem(LibraryOpener opener) {
        String error = opener.open("libcuda.so.1");
        if (error != null) {
            return "no NVIDIA driver (libcuda.so.1 not found): install the NVIDIA driver, version 580 or newer";
        }
        return problem(ask());
    }

    /** Why the GPU cannot be used given the driver's answer, or null. */
    static String problem(Answer answer) {
        if (answer.initStatus() == CUDA_ERROR_NO_DEVICE || answer.initStatus() == 0 && answer.devices() == 0) {
            return "no NVIDIA GPU found by the driver (cuInit: " + answer.initStatus() + ")";
        }
        if (answer.initStatus() != 0) {
            return "the NVIDIA driver did not start (cuInit error " + answer.initStatus()
                    + "): check `nvidia-smi`, and reboot after a driver update";
        }
        int major = answer.cudaVersion() / 1000;
        if (major < CUDA_MAJOR) {
            return "the NVIDIA driver supports CUDA " + major + "." + answer.cudaVersion() % 1000 / 10
                    + ", this engine needs CUDA " + CUDA_MAJOR + ": update the driver to version 580 or newer";
        }
        return null;
    }

    private static Answer ask() {
        NativeLibrary cuda = NativeLibrary.getInstance("libcuda.so.1");
        Function init = cuda.getFunction("cuInit");
        int status = init.invokeInt(new Object[] {0});
        IntByReference version = new IntByReference();
        cuda.getFunction("cuDriverGetVersion").invokeInt(new Object[] {version});
        IntByReference count = new IntByReference();
        if (status == 0) {
            cuda.getFunction("cuDeviceGetCount").invokeInt(new Object[] {count});
        }
        return new Answer(status, version.getValue(), count.getValue());
    }
}
