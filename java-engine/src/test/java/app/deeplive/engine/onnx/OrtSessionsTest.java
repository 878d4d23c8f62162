package app.deeplive.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtSessionsTest {
    @TempDir
    Path tmp;

    @Test
    void opensARealModelOnCpuAndDescribesItsInputsAndOutputs() {
        try (LoadedModel m = OrtSessions.open(SharedData.model("mobilefacenet.onnx"), OrtConfig.cpu().withIntraOpThreads(1))) {
            assertEquals(OrtProvider.CPU, m.provider());
            assertEquals(List.of(), m.fallbacks());
            assertEquals(1, m.inputs().size());
            assertEquals("input", m.inputs().get(0).name());
            assertArrayEquals(new long[] {1, 3, 112, 112}, m.inputs().get(0).shape());
            assertEquals(OnnxJavaType.FLOAT, m.inputs().get(0).type());
            assertArrayEquals(new long[] {1, 128}, m.outputs().get(0).shape());
        }
    }

    @Test
    void askingForCudaWithoutItFallsBackToCpuAndSaysWhy() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this ONNX Runtime build has CUDA");
        OrtConfig config = OrtConfig.defaults().withProviders(List.of(OrtProvider.CUDA)).withOptimisation(OptLevel.BASIC_OPT);
        OrtSessions.forgetLoggedFallbacks();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (LoadedModel m = OrtSessions.open(SharedData.model("mobilefacenet.onnx"), config)) {
            assertEquals(OrtProvider.CPU, m.provider());
            assertEquals(1, m.fallbacks().size());
            String line = m.fallbacks().get(0);
            assertTrue(line.startsWith("CUDA provider unavailable: "), line);
            assertTrue(line.endsWith("; using CPU"), line);
            assertTrue(log.toString(StandardCharsets.UTF_8).contains(line), "not logged: " + log);
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void onACpuBuildTheGpuProvidersFallThroughInOneLineSayingWhy() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this ONNX Runtime build has CUDA");
        OrtConfig config = OrtConfig.defaults().withProviders(List.of(OrtProvider.TENSOR_RT, OrtProvider.CUDA));
        try (LoadedModel m = OrtSessions.open(SharedData.model("mobilefacenet.onnx"), config)) {
            assertEquals(OrtProvider.CPU, m.provider());
            assertEquals(List.of("TensorRT, CUDA providers unavailable: not in this ONNX Runtime build (build with -Pgpu); "
                    + "using CPU"), m.fallbacks());
        }
    }

    @Test
    void onAGpuBuildTheGpuRuntimesProblemIsTheReasonTheNvidiaProvidersArePassedOver() {
        EnumSet<OrtProvider> gpuBuild = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);
        String noDriver = "no NVIDIA driver (libcuda.so.1 not found): install the NVIDIA driver, version 580 or newer";
        assertEquals(noDriver, OrtSessions.unavailable(OrtProvider.CUDA, gpuBuild, noDriver));
        assertEquals(noDriver, OrtSessions.unavailable(OrtProvider.TENSOR_RT, gpuBuild, noDriver));
        assertNull(OrtSessions.unavailable(OrtProvider.CPU, gpuBuild, noDriver), "the CPU is always there");
        assertNull(OrtSessions.unavailable(OrtProvider.CUDA, gpuBuild, null), "a usable GPU: CUDA is tried");
        assertEquals("not in this ONNX Runtime build (build with -Pgpu)",
                OrtSessions.unavailable(OrtProvider.TENSOR_RT, gpuBuild, null));
    }

    @Test
    void providersThatFallThroughForDifferentReasonsEachKeepTheirOwnLine() {
        List<OrtProvider> candidates = List.of(OrtProvider.TENSOR_RT, OrtProvider.CUDA, OrtProvider.CPU);
        assertEquals(List.of("TensorRT provider unavailable: libnvinfer.so.10 not found; using CUDA",
                        "CUDA provider unavailable: libcudnn.so.9 not found; using CPU"),
                OrtSessions.fallbackLines(candidates, List.of("libnvinfer.so.10 not found", "libcudnn.so.9 not found")));
        assertEquals(List.of("TensorRT provider unavailable: libcudnn.so.9 not found; using CUDA"),
                OrtSessions.fallbackLines(candidates, List.of("libcudnn.so.9 not found")));
        assertEquals(List.of(), OrtSessions.fallbackLines(candidates, List.of()));
    }

    @Test
    void cpuIsAlwaysTheLastCandidateAndPlatformProvidersOnlyOnTheirPlatform() {
        List<OrtProvider> c = OrtSessions.candidates(OrtConfig.defaults());
        assertEquals(OrtProvider.TENSOR_RT, c.get(0));
        assertEquals(OrtProvider.CUDA, c.get(1));
        assertEquals(OrtProvider.CPU, c.get(c.size() - 1));
        String os = System.getProperty("os.name").toLowerCase();
        assertEquals(os.contains("win"), c.contains(OrtProvider.DIRECT_ML));
        assertEquals(os.contains("mac"), c.contains(OrtProvider.CORE_ML));
        assertEquals(List.of(OrtProvider.CPU), OrtSessions.candidates(OrtConfig.cpu()));
    }

    @Test
    void aMissingModelIsAOneLineErrorNamingTheFile() {
        Path missing = tmp.resolve("det_10g.onnx");
        UserFacingException e = assertThrows(UserFacingException.class, () -> OrtSessions.open(missing, OrtConfig.cpu()));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    @Test
    void aFileThatIsNotOnnxIsAOneLineErrorSayingWhatToDo() throws Exception {
        Path bogus = Files.writeString(tmp.resolve("w600k_r50.onnx"), "<html>404 Not Found</html>");
        UserFacingException e = assertThrows(UserFacingException.class, () -> OrtSessions.open(bogus, OrtConfig.cpu()));
        assertTrue(e.getMessage().contains(bogus.toString()) && e.getMessage().contains("download it again"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    @Test
    void aDirectoryIsNotAModel() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> OrtSessions.open(tmp, OrtConfig.cpu()));
        assertTrue(e.getMessage().contains("not a file"), e.getMessage());
    }

    @Test
    void configRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> OrtConfig.defaults().withIntraOpThreads(-1));
        assertThrows(IllegalArgumentException.class, () -> OrtConfig.defaults().withDeviceId(-1));
    }
}
