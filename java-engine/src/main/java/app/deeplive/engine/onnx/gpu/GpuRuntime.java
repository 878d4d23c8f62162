package app.deeplive.engine.onnx.gpu;

import app.deeplive.engine.EngineCommand;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the GPU build's natives ready before ONNX Runtime first loads: no {@code LD_LIBRARY_PATH}, no CUDA toolkit.
 *
 * <p>The GPU build ships a {@code gpu-natives} folder beside the engine jar: ONNX Runtime's CUDA-13 build and its
 * providers, Microsoft's JNI for them, and the CUDA runtime libraries Maven publishes. This class points ONNX
 * Runtime's loader at that folder ({@code onnxruntime.native.path}), then asks the NVIDIA driver whether it can run
 * CUDA 13, then loads the CUDA libraries in {@link CudaLoadOrder} by absolute path. When any of that fails, the GPU
 * providers are passed over with {@link #problem()} as the one-line reason, and the engine runs on the CPU.
 *
 * <p>Where the folder is: {@code -Ddeeplive.gpu.natives=DIR}, else {@code $DLF_GPU_NATIVES}, else
 * {@code gpu-natives} beside the jar. A CPU build has none, and nothing here happens.
 */
public final class GpuRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(GpuRuntime.class);
    public static final String FOLDER_PROPERTY = "deeplive.gpu.natives";
    public static final String FOLDER_VARIABLE = "DLF_GPU_NATIVES";
    public static final String CUDA_LIBS_VARIABLE = "DLF_CUDA_LIBS";
    public static final String FOLDER_NAME = "gpu-natives";
    /** ONNX Runtime's own system property: the one folder its Java loader takes every native library from. */
    static final String ORT_NATIVE_PATH = "onnxruntime.native.path";
    /** Where NVIDIA's CUDA installer puts its libraries, outside the system's library search. */
    private static final Path CUDA_TOOLKIT = Path.of("/usr/local/cuda/lib64");

    private static GpuRuntime prepared;

    private final Path folder;
    private final String problem;
    private final List<String> loaded;

    GpuRuntime(Path folder, String problem, List<String> loaded) {
        this.folder = folder;
        this.problem = problem;
        this.loaded = List.copyOf(loaded);
    }

    /** Prepares the GPU natives once per process (later calls return the first answer); call before ONNX Runtime. */
    public static synchronized GpuRuntime prepare() {
        if (prepared == null) {
            Located located = locate(System.getProperties(), System.getenv(), EngineCommand.codeSource());
            if (located.folder() != null && System.getProperty(ORT_NATIVE_PATH) == null
                    && Files.isRegularFile(located.folder().resolve("libonnxruntime.so"))) {
                System.setProperty(ORT_NATIVE_PATH, located.folder().toString());
            }
            prepared = prepare(located, System.getenv(), new Dlopen(), CudaDriver::problem);
            prepared.log();
        }
        return prepared;
    }

    /**
     * The steps of {@link #prepare()} after the folder is found, with the machine's parts passed in: the driver
     * check, then the CUDA libraries in order. Sets nothing process-wide.
     */
    static GpuRuntime prepare(Located located, Map<String, String> env, LibraryOpener opener,
            Function<LibraryOpener, String> driver) {
        if (located.folder() == null) {
            return new GpuRuntime(null, located.problem(), List.of());
        }
        Path folder = located.folder();
        if (!Files.isRegularFile(folder.resolve("libonnxruntime.so"))) {
            return new GpuRuntime(null, "the GPU natives folder " + folder + " holds no libonnxruntime.so: build "
                    + "the GPU engine again", List.of());
        }
        String driverProblem = driver.apply(opener);
        if (driverProblem != null) {
            return new GpuRuntime(folder, driverProblem, List.of());
        }
        CudaLibraryLoader.Result result = new CudaLibraryLoader(searchFolders(folder, env), opener)
                .load(CudaLoadOrder.LIBRARIES);
        return new GpuRuntime(folder, result.problem(), result.loaded());
    }

    /** Where the GPU natives are, and why none are used when a folder was named but is not there. */
    record Located(Path folder, String problem) {}

    static Located locate(Properties properties, Map<String, String> env, Path codeSource) {
        String named = properties.getProperty(FOLDER_PROPERTY);
        String from = "-D" + FOLDER_PROPERTY;
        if (named == null || named.isBlank()) {
            named = env.get(FOLDER_VARIABLE);
            from = FOLDER_VARIABLE;
        }
        if (named != null && !named.isBlank()) {
            Path folder = Path.of(named).toAbsolutePath().normalize();
            return Files.isDirectory(folder) ? new Located(folder, null)
                    : new Located(null, "the GPU natives folder " + folder + " (from " + from + ") does not exist");
        }
        if (codeSource != null && codeSource.getParent() != null) {
            Path besideJar = codeSource.getParent().resolve(FOLDER_NAME);
            if (Files.isDirectory(besideJar)) {
                return new Located(besideJar, null);
            }
        }
        return new Located(null, null);
    }

    /** The GPU build's folder first, then the user's {@code DLF_CUDA_LIBS}, then the CUDA toolkit's default. */
    static List<Path> searchFolders(Path folder, Map<String, String> env) {
        List<Path> folders = new ArrayList<>();
        folders.add(folder);
        String extra = env.get(CUDA_LIBS_VARIABLE);
        if (extra != null) {
            for (String part : extra.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    folders.add(Path.of(part).toAbsolutePath().normalize());
                }
            }
        }
        folders.add(CUDA_TOOLKIT);
        return folders;
    }

    /** Whether this is a GPU build: its natives folder was found and ONNX Runtime loads from it. */
    public boolean isGpuBuild() {
        return folder != null;
    }

    /** Whether the GPU providers may be tried: a GPU build whose driver and CUDA libraries are all in place. */
    public boolean usable() {
        return folder != null && problem == null;
    }

    /** Why the GPU providers cannot be used, in one line that says what to do; null when they can, or on a CPU build. */
    public String problem() {
        return problem;
    }

    /** The CUDA libraries opened, in load order. */
    public List<String> loaded() {
        return loaded;
    }

    private void log() {
        if (folder != null && problem == null) {
            LOG.info("GPU natives from {}; CUDA libraries loaded: {}", folder, loaded.size());
        } else if (problem != null) {
            LOG.info("GPU not usable: {}", problem);
        }
    }
}
