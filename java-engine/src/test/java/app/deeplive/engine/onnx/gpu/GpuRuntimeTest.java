package app.deeplive.engine.onnx.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the GPU natives are found, and what a GPU build does on a machine that cannot use them. */
class GpuRuntimeTest {
    @TempDir
    Path install;

    private Path gpuFolder() throws IOException {
        Path folder = Files.createDirectories(install.resolve(GpuRuntime.FOLDER_NAME));
        Files.writeString(folder.resolve("libonnxruntime.so"), "");
        return folder;
    }

    @Test
    void aCpuBuildHasNoFolderAndNoProblem() {
        GpuRuntime.Located located = GpuRuntime.locate(new Properties(), Map.of(), install.resolve("engine.jar"));
        assertNull(located.folder());
        GpuRuntime runtime = GpuRuntime.prepare(located, Map.of(), name -> null, opener -> null);
        assertFalse(runtime.isGpuBuild());
        assertNull(runtime.problem());
    }

    @Test
    void theFolderBesideTheJarIsFoundWithNoSetting() throws IOException {
        Path folder = gpuFolder();
        assertEquals(folder, GpuRuntime.locate(new Properties(), Map.of(), install.resolve("engine.jar")).folder());
    }

    @Test
    void thePropertyBeatsTheVariableAndANamedFolderThatIsMissingIsSaid() throws IOException {
        Path folder = gpuFolder();
        Properties properties = new Properties();
        properties.setProperty(GpuRuntime.FOLDER_PROPERTY, folder.toString());
        Map<String, String> env = Map.of(GpuRuntime.FOLDER_VARIABLE, "/nowhere/gpu");
        assertEquals(folder, GpuRuntime.locate(properties, env, null).folder());

        GpuRuntime.Located missing = GpuRuntime.locate(new Properties(), env, null);
        assertNull(missing.folder());
        assertEquals("the GPU natives folder /nowhere/gpu (from DLF_GPU_NATIVES) does not exist", missing.problem());
    }

    @Test
    void theDriverIsAskedFirstAndItsProblemStopsTheLoading() throws IOException {
        List<String> opened = new ArrayList<>();
        GpuRuntime runtime = GpuRuntime.prepare(new GpuRuntime.Located(gpuFolder(), null), Map.of(),
                name -> {
                    opened.add(name);
                    return null;
                }, opener -> "no NVIDIA driver (libcuda.so.1 not found): x");
        assertTrue(runtime.isGpuBuild());
        assertFalse(runtime.usable());
        assertEquals("no NVIDIA driver (libcuda.so.1 not found): x", runtime.problem());
        assertEquals(List.of(), opened, "no CUDA library is loaded for a driver that cannot run it");
    }

    @Test
    void withAFitDriverTheCudaLibrariesLoadFromTheFolderThenTheUsersFolders() throws IOException {
        Path folder = gpuFolder();
        for (CudaLibrary library : CudaLoadOrder.LIBRARIES) {
            Files.writeString(folder.resolve(library.soname()), "");
        }
        GpuRuntime runtime = GpuRuntime.prepare(new GpuRuntime.Located(folder, null), Map.of(), name -> null,
                opener -> null);
        assertTrue(runtime.usable());
        assertEquals(CudaLoadOrder.LIBRARIES.size(), runtime.loaded().size());
        assertEquals(folder.resolve("libcudnn.so.9").toString(), runtime.loaded().get(runtime.loaded().size() - 1));
    }

    @Test
    void dlfCudaLibsAddsFoldersAfterTheBundledOneAndBeforeTheToolkit() {
        Path folder = Path.of("/opt/engine/gpu-natives");
        assertEquals(List.of(folder, Path.of("/venv/nvidia/cu13/lib"), Path.of("/venv/nvidia/cudnn/lib"),
                Path.of("/usr/local/cuda/lib64")), GpuRuntime.searchFolders(folder,
                        Map.of(GpuRuntime.CUDA_LIBS_VARIABLE, "/venv/nvidia/cu13/lib:/venv/nvidia/cudnn/lib:")));
    }

    @Test
    void aFolderWithoutOnnxRuntimeIsNotUsed() throws IOException {
        Path empty = Files.createDirectories(install.resolve("empty"));
        GpuRuntime runtime = GpuRuntime.prepare(new GpuRuntime.Located(empty, null), Map.of(), name -> null,
                opener -> null);
        assertFalse(runtime.isGpuBuild());
        assertEquals("the GPU natives folder " + empty + " holds no libonnxruntime.so: build the GPU engine again",
                runtime.problem());
    }
}
