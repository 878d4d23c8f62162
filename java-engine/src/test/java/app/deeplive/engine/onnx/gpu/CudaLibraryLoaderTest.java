package app.deeplive.engine.onnx.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order CUDA libraries load in, where each is taken from, and the line a user reads when one is missing. */
class CudaLibraryLoaderTest {
    @TempDir
    Path bundled;
    @TempDir
    Path userFolder;

    /** Records what is opened; names in {@code failing} fail as if the linker could not find them. */
    private static final class RecordingOpener implements LibraryOpener {
        final List<String> opened = new ArrayList<>();
        final Set<String> failing;

        RecordingOpener(Set<String> failing) {
            this.failing = failing;
        }

        @Override
        public String open(String nameOrPath) {
            if (failing.contains(Path.of(nameOrPath).getFileName().toString())) {
                return nameOrPath + ": cannot open shared object file: No such file or directory";
            }
            opened.add(nameOrPath);
            return null;
        }
    }

    private static void place(Path folder, String... names) throws IOException {
        for (String name : names) {
            Files.writeString(folder.resolve(name), "");
        }
    }

    @Test
    void everyLibraryLoadsAfterWhatItNeedsAndCudnnsFrontLoadsLast() {
        List<String> names = CudaLoadOrder.LIBRARIES.stream().map(CudaLibrary::soname).toList();
        // The CUDA provider's own needs (readelf -d): cudart before cuBLAS, cuBLASLt before cuBLAS.
        assertTrue(names.indexOf("libcudart.so.13") < names.indexOf("libcublasLt.so.13"));
        assertTrue(names.indexOf("libcublasLt.so.13") < names.indexOf("libcublas.so.13"));
        // cuDNN's parts before its front, graph first; NVRTC (its run-time compiled engines) before any part.
        assertEquals("libcudnn.so.9", names.get(names.size() - 1));
        List<String> cudnnParts = names.stream().filter(n -> n.startsWith("libcudnn_")).toList();
        assertEquals("libcudnn_graph.so.9", cudnnParts.get(0));
        assertTrue(names.indexOf("libnvrtc.so.13") < names.indexOf("libcudnn_graph.so.9"));
        assertTrue(names.indexOf("libcublas.so.13") < names.indexOf("libcudnn_graph.so.9"));
        List<String> required = CudaLoadOrder.LIBRARIES.stream().filter(CudaLibrary::required)
                .map(CudaLibrary::soname).toList();
        assertEquals(List.of("libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcufft.so.12",
                "libcudnn.so.9"), required, "what libonnxruntime_providers_cuda.so names in DT_NEEDED");
    }

    @Test
    void eachLibraryComesFromTheFirstFolderThatHoldsItElseFromTheSystemByName() throws IOException {
        place(bundled, "libcudart.so.13", "libcufft.so.12", "libnvrtc.so.13");
        place(userFolder, "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcudnn.so.9",
                "libcudnn_graph.so.9");
        RecordingOpener opener = new RecordingOpener(Set.of());

        CudaLibraryLoader.Result result = new CudaLibraryLoader(List.of(bundled, userFolder), opener)
                .load(CudaLoadOrder.LIBRARIES);

        assertNull(result.problem());
        List<String> expected = new ArrayList<>();
        for (CudaLibrary library : CudaLoadOrder.LIBRARIES) {
            String name = library.soname();
            expected.add(Files.exists(bundled.resolve(name)) ? bundled.resolve(name).toString()
                    : Files.exists(userFolder.resolve(name)) ? userFolder.resolve(name).toString() : name);
        }
        assertEquals(expected, opener.opened, "in load order, by absolute path where a folder holds the file");
        assertEquals(bundled.resolve("libcudart.so.13").toString(), opener.opened.get(0), "the bundled one wins");
    }

    @Test
    void aMissingOptionalLibraryIsLeftToWhoeverAsksForIt() throws IOException {
        place(bundled, "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcufft.so.12", "libcudnn.so.9");
        RecordingOpener opener = new RecordingOpener(Set.of("libnvJitLink.so.13", "libcudnn_adv.so.9"));

        CudaLibraryLoader.Result result = new CudaLibraryLoader(List.of(bundled), opener).load(CudaLoadOrder.LIBRARIES);

        assertNull(result.problem());
        assertEquals(bundled.resolve("libcudnn.so.9").toString(), opener.opened.get(opener.opened.size() - 1));
        assertTrue(opener.opened.stream().noneMatch(p -> p.contains("nvJitLink") || p.contains("cudnn_adv")));
    }

    @Test
    void aMissingRequiredLibrarySaysWhereItLookedAndWhatToInstallAndLoadsNothingAfterIt() throws IOException {
        place(bundled, "libcudart.so.13", "libcufft.so.12");
        RecordingOpener opener = new RecordingOpener(Set.of("libcublasLt.so.13"));

        CudaLibraryLoader.Result result = new CudaLibraryLoader(List.of(bundled, userFolder), opener)
                .load(CudaLoadOrder.LIBRARIES);

        assertEquals("libcublasLt.so.13 not found (looked in " + bundled + ", " + userFolder + " and the system "
                + "library path): install cuBLAS for CUDA 13 (Debian/Ubuntu: NVIDIA's libcublas-13-x package; pip: "
                + "nvidia-cublas), or set DLF_CUDA_LIBS to the folder that holds it", result.problem());
        assertEquals(List.of(bundled.resolve("libcudart.so.13").toString()), opener.opened);
    }

    @Test
    void aRequiredLibraryThatIsThereButWillNotLoadGivesTheLinkersReason() throws IOException {
        place(bundled, "libcudart.so.13", "libcublasLt.so.13");
        RecordingOpener opener = new RecordingOpener(Set.of("libcublasLt.so.13"));

        CudaLibraryLoader.Result result = new CudaLibraryLoader(List.of(bundled), opener).load(CudaLoadOrder.LIBRARIES);

        assertEquals("cannot load " + bundled.resolve("libcublasLt.so.13") + ": " + bundled.resolve("libcublasLt.so.13")
                + ": cannot open shared object file: No such file or directory", result.problem());
    }

    @Test
    void theRealDlopenOpensASystemLibraryByNameAndExplainsAMissingOne() {
        Dlopen dlopen = new Dlopen();
        assertNull(dlopen.open("libc.so.6"));
        String reason = dlopen.open("/nonexistent/libcudnn.so.9");
        assertTrue(reason.contains("/nonexistent/libcudnn.so.9") && reason.contains("No such file"), reason);
    }
}
