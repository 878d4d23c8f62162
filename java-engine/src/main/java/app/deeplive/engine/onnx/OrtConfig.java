package app.deeplive.engine.onnx;

import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.List;
import java.util.Objects;

/**
 * How {@link OrtSessions} creates a session.
 *
 * @param providers execution providers to try, best first; CPU is always tried last whether listed or not
 * @param intraOpThreads threads one operator may use; 0 lets ONNX Runtime choose (one per physical core)
 * @param optimisation graph optimisation level
 * @param fp16 let TensorRT build half-precision engines; other providers run the model in its own precision
 * @param deviceId GPU index for GPU providers
 */
public record OrtConfig(List<OrtProvider> providers, int intraOpThreads, OptLevel optimisation, boolean fp16, int deviceId) {
    /** TensorRT, then CUDA, then the platform's own accelerator, then CPU. */
    public static final List<OrtProvider> BEST_FIRST =
            List.of(OrtProvider.TENSOR_RT, OrtProvider.CUDA, OrtProvider.DIRECT_ML, OrtProvider.CORE_ML, OrtProvider.CPU);

    public OrtConfig {
        providers = List.copyOf(providers);
        Objects.requireNonNull(optimisation, "optimisation");
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be 0 (automatic) or more: " + intraOpThreads);
        }
        if (deviceId < 0) {
            throw new IllegalArgumentException("device id must not be negative: " + deviceId);
        }
    }

    /** The best provider available, all optimisations, automatic threads, full precision. */
    public static OrtConfig defaults() {
        return new OrtConfig(BEST_FIRST, 0, OptLevel.ALL_OPT, false, 0);
    }

    /** CPU only: for tests and machines without a usable GPU. */
    public static OrtConfig cpu() {
        return defaults().withProviders(List.of(OrtProvider.CPU));
    }

    public OrtConfig withProviders(List<OrtProvider> newProviders) {
        return new OrtConfig(newProviders, intraOpThreads, optimisation, fp16, deviceId);
    }

    public OrtConfig withIntraOpThreads(int threads) {
        return new OrtConfig(providers, threads, optimisation, fp16, deviceId);
    }

    public OrtConfig withOptimisation(OptLevel level) {
        return new OrtConfig(providers, intraOpThreads, level, fp16, deviceId);
    }

    public OrtConfig withFp16(boolean enabled) {
        return new OrtConfig(providers, intraOpThreads, optimisation, enabled, deviceId);
    }

    public OrtConfig withDeviceId(int id) {
        return new OrtConfig(providers, intraOpThreads, optimisation, fp16, id);
    }
}
