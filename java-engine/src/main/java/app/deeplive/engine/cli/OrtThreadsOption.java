package app.deeplive.engine.cli;

import app.deeplive.engine.onnx.OrtConfig;
import picocli.CommandLine.Option;

/** {@code --threads} of the single-model benches: ONNX Runtime intra-op threads, 0 = one per core. */
final class OrtThreadsOption {
    @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
            description = "ONNX Runtime intra-op threads (default: 0 = one per core).")
    int threads;

    OrtConfig config() {
        return OrtConfig.defaults().withIntraOpThreads(threads);
    }
}
