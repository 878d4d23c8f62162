package app.deeplive.engine.onnx;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserHome;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.onnx.gpu.GpuRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the engine creates ONNX Runtime sessions. It tries the configured providers best first and falls
 * back, with one log line saying why, when a provider is missing from this ONNX Runtime build, its libraries (CUDA,
 * cuDNN, TensorRT) do not load, or it cannot run the model; CPU always remains. A model file that is missing,
 * unreadable or not ONNX is a {@link UserFacingException}.
 */
public final class OrtSessions {
    private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);
    /** Each fallback reason is logged once per process, not once per model. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    /** Before ONNX Runtime's first use: a GPU build points its loader at the GPU natives and loads CUDA first. */
    private static final GpuRuntime GPU = GpuRuntime.prepare();

    private OrtSessions() {}

    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /** Opens {@code model} on the best provider {@code config} allows. */
    public static LoadedModel open(Path model, OrtConfig config) {
        checkReadable(model);
        List<OrtProvider> candidates = candidates(config);
        EnumSet<OrtProvider> built = OrtEnvironment.getAvailableProviders();
        // Why each provider before the one in use was passed over, in candidate order.
        List<String> reasons = new ArrayList<>();
        for (OrtProvider provider : candidates) {
            String unavailable = unavailable(provider, built, GPU.problem());
            if (unavailable != null) {
                reasons.add(unavailable);
                continue;
            }
            try (SessionOptions options = options(config)) {
                try {
                    addProvider(options, provider, config);
                } catch (OrtException | RuntimeException | LinkageError e) {
                    reasons.add(reason(e));
                    continue;
                }
                try {
                    OrtSession session = environment().createSession(model.toString(), options);
                    List<String> fallbacks = logOnce(fallbackLines(candidates, reasons));
                    LoadedModel loaded = describe(session, model, provider, fallbacks);
                    LOG.info("{}: running on {}", model.getFileName(), displayName(provider));
                    return loaded;
                } catch (OrtException e) {
                    if (provider == OrtProvider.CPU) {
                        logOnce(fallbackLines(candidates, reasons));
                        throw new UserFacingException("cannot load model " + model + " (" + reason(e)
                                + "): it is not a usable ONNX model; download it again or pass the right file", e);
                    }
                    reasons.add("cannot run " + model.getFileName() + ": " + reason(e));
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime session options: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no execution provider left, not even CPU");
    }

    /**
     * Why {@code provider} cannot even be tried, or null: the GPU runtime's problem (no driver, a CUDA library
     * missing) for the NVIDIA providers, else its absence from this ONNX Runtime build.
     */
    static String unavailable(OrtProvider provider, EnumSet<OrtProvider> built, String gpuProblem) {
        boolean nvidia = provider == OrtProvider.CUDA || provider == OrtProvider.TENSOR_RT;
        if (nvidia && gpuProblem != null) {
            return gpuProblem;
        }
        if (provider != OrtProvider.CPU && !built.contains(provider)) {
            return "not in this ONNX Runtime build" + (nvidia ? " (build with -Pgpu)" : "");
        }
        return null;
    }

    /**
     * One line per run of providers passed over for the same reason (a CPU build skips TensorRT and CUDA for one
     * reason: one line, not two), each saying which provider was used instead.
     */
    static List<String> fallbackLines(List<OrtProvider> candidates, List<String> reasons) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < reasons.size(); i++) {
            if (i + 1 < reasons.size() && reasons.get(i + 1).equals(reasons.get(i))) {
                continue;
            }
            List<String> names = candidates.subList(start, i + 1).stream().map(OrtSessions::displayName).toList();
            String line = String.join(", ", names) + (names.size() == 1 ? " provider" : " providers") + " unavailable: "
                    + reasons.get(i) + (i + 1 < candidates.size() ? "; using " + displayName(candidates.get(i + 1)) : "");
            lines.add(line);
            start = i + 1;
        }
        return List.copyOf(lines);
    }

    private static List<String> logOnce(List<String> lines) {
        for (String line : lines) {
            if (LOGGED.add(line)) {
                LOG.info(line);
            }
        }
        return lines;
    }

    /** The configured providers that can exist on this platform, ending with CPU. */
    static List<OrtProvider> candidates(OrtConfig config) {
        String os = System.getProperty("os.name", "").toLowerCase();
        List<OrtProvider> out = new ArrayList<>();
        for (OrtProvider p : config.providers()) {
            boolean platformOk = switch (p) {
                case DIRECT_ML -> os.contains("win");
                case CORE_ML -> os.contains("mac");
                default -> true;
            };
            if (platformOk && p != OrtProvider.CPU && !out.contains(p)) {
                out.add(p);
            }
        }
        out.add(OrtProvider.CPU);
        return out;
    }

    private static SessionOptions options(OrtConfig config) throws OrtException {
        SessionOptions options = new SessionOptions();
        // inswapper's emap is an initializer no node uses (we read it from the file): ONNX Runtime warns about it on
        // every load. Its warnings are not the user's business; errors still reach the log.
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        options.setOptimizationLevel(config.optimisation());
        // Live, several models run at once (detector, swapper, enhancer on threads of their own): an idle worker
        // that spins waiting for the next operator would burn the cores the other stages need.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        if (config.intraOpThreads() > 0) {
            options.setIntraOpNumThreads(config.intraOpThreads());
        }
        return options;
    }

    private static void addProvider(SessionOptions options, OrtProvider provider, OrtConfig config) throws OrtException {
        switch (provider) {
            case CPU -> { }
            case CUDA -> {
                try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(config.deviceId())) {
                    options.addCUDA(cuda);
                }
            }
            case TENSOR_RT -> {
                try (OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(config.deviceId())) {
                    trt.add("trt_fp16_enable", config.fp16() ? "1" : "0");
                    // Building an engine takes minutes; keep them between runs.
                    trt.add("trt_engine_cache_enable", "1");
                    trt.add("trt_engine_cache_path", tensorrtCache().toString());
                    options.addTensorrt(trt);
                }
            }
            case DIRECT_ML -> options.addDirectML(config.deviceId());
            case CORE_ML -> options.addCoreML();
            default -> throw new IllegalArgumentException("unsupported execution provider " + provider);
        }
    }

    private static Path tensorrtCache() {
        return UserHome.of(System.getenv()).resolve(".cache/deep-live-face/tensorrt");
    }

    private static void checkReadable(Path model) {
        if (!Files.exists(model)) {
            throw new UserFacingException("model file " + model + " not found: check the path, or download the "
                    + "production models with `" + EngineCommand.line("models fetch") + "`");
        }
        if (!Files.isRegularFile(model)) {
            throw new UserFacingException("model file " + model + " is not a file: pass the .onnx file itself");
        }
        if (!Files.isReadable(model)) {
            throw new UserFacingException("cannot read model file " + model + ": check its permissions");
        }
    }

    private static LoadedModel describe(OrtSession session, Path model, OrtProvider provider, List<String> fallbacks)
            throws OrtException {
        try {
            return new LoadedModel(session, model, provider, specs(session.getInputInfo()), specs(session.getOutputInfo()),
                    fallbacks);
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            if (!(node.getInfo() instanceof TensorInfo t)) {
                throw new UserFacingException("model value " + node.getName() + " is not a tensor ("
                        + node.getInfo() + "): the engine only runs models with tensor inputs and outputs");
            }
            specs.add(new TensorSpec(node.getName(), t.getShape(), t.type));
        }
        return specs;
    }

    /** The first line of an exception's message: the cause a user can act on, without native stack dumps. */
    private static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    /** Lets the next fallback of each kind be logged again (tests of the log line). */
    static void forgetLoggedFallbacks() {
        LOGGED.clear();
    }

    public static String displayName(OrtProvider p) {
        return switch (p) {
            case CPU -> "CPU";
            case CUDA -> "CUDA";
            case TENSOR_RT -> "TensorRT";
            case DIRECT_ML -> "DirectML";
            case CORE_ML -> "CoreML";
            default -> p.getName();
        };
    }
}
