package app.deeplive.engine.onnx.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The driver's answer, as the one line a streamer reads when the GPU cannot be used. */
class CudaDriverTest {
    @Test
    void aDriverForCuda13WithAGpuIsFit() {
        assertNull(CudaDriver.problem(new CudaDriver.Answer(0, 13000, 1)));
        assertNull(CudaDriver.problem(new CudaDriver.Answer(0, 13010, 2)));
    }

    @Test
    void aDriverTooOldForCuda13SaysWhichVersionItHasAndWhatToInstall() {
        assertEquals("the NVIDIA driver supports CUDA 12.4, this engine needs CUDA 13: update the driver to version "
                + "580 or newer", CudaDriver.problem(new CudaDriver.Answer(0, 12040, 1)));
    }

    @Test
    void noGpuAndAFailedStartAreToldApart() {
        assertEquals("no NVIDIA GPU found by the driver (cuInit: 100)",
                CudaDriver.problem(new CudaDriver.Answer(100, 13000, 0)));
        assertEquals("the NVIDIA driver did not start (cuInit error 999): check `nvidia-smi`, and reboot after a "
                + "driver update", CudaDriver.problem(new CudaDriver.Answer(999, 13000, 0)));
    }

    @Test
    void withoutTheDriversLibraryTheLineSaysToInstallTheDriver() {
        assertEquals("no NVIDIA driver (libcuda.so.1 not found): install the NVIDIA driver, version 580 or newer",
                CudaDriver.problem(name -> name + ": cannot open shared object file"));
    }
}
