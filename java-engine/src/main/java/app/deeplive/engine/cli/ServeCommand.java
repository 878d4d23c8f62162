package app.deeplive.engine.cli;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.control.AuthToken;
import app.deeplive.engine.control.Capabilities;
import app.deeplive.engine.control.ControlLimits;
import app.deeplive.engine.control.ControlServer;
import app.deeplive.engine.control.EngineModels;
import app.deeplive.engine.control.TokenFile;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.models.ModelDirectory;
import app.deeplive.engine.models.ModelFiles;
import app.deeplive.engine.models.ModelManifest;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.session.SessionPipelines;
import app.deeplive.engine.session.ChannelFrameSource;
import app.deeplive.engine.session.SessionManager;
import app.deeplive.engine.session.SourceFaceRequests;
import app.deeplive.engine.session.SourceImages;
import app.deeplive.engine.track.OpticalFlow;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code serve}: runs the engine until SIGTERM/SIGINT: control server, sessions, models loaded once. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
                "Run the engine for OBS: the control channel (protocol: java-engine/docs/control-protocol.md), "
                        + "live sessions on shared-memory frame channels, and the models, loaded once.",
                "Writes a fresh random token to the token file (readable by you only); clients must send it. "
                        + "Stops cleanly on SIGTERM or Ctrl-C (exit 0)."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; other than loopback needs --allow-remote).")
    String host;

    @Option(names = "--port", paramLabel = "P", defaultValue = "" + ControlServer.DEFAULT_PORT,
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one and logs it).")
    int port;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Where to write the token (default: $XDG_RUNTIME_DIR/deep-live-face/token, "
                    + "else ~/.config/deep-live-face/token).")
    Path tokenFile;

    @Option(names = "--allow-remote",
            description = "Allow listening on a non-loopback address (clients still need the token; the "
                    + "protocol is not encrypted, so use it only on a network you trust).")
    boolean allowRemote;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "4",
            description = "Sessions (OBS filters) at once (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "64",
            description = "Control connections at once (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--owner-pid", paramLabel = "PID",
            description = "Stop when the process with this pid ends (the OBS filter passes OBS's own, so an engine it "
                    + "started does not outlive a crashed OBS).")
    Long ownerPid;

    @Option(names = "--detector", paramLabel = "FILE", description = "SCRFD detector .onnx (default: det_10g from the manifest).")
    Path detector;

    @Option(names = "--recognizer", paramLabel = "FILE", description = "ArcFace recogniser .onnx (default: w600k_r50 from the manifest).")
    Path recognizer;

    @Option(names = "--swapper", paramLabel = "FILE",
            description = "face swapper .onnx: inswapper_128 (fp32 or fp16) or a HyperSwap 256 model (default: "
                    + "inswapper_128, else inswapper_128_fp16 from the manifest).")
    Path swapper;

    @Option(names = "--landmarks", paramLabel = "FILE",
            description = "106-point landmark .onnx for the mouth mask (default: 2d106det from the manifest).")
    Path landmarks;

    @Option(names = "--occluder", paramLabel = "FILE",
            description = "XSeg occlusion model (FaceFusion's xseg_1, xseg_2 or xseg_3 .onnx) for the occlusion mask, "
                    + "which keeps hands and objects in front of the face (default: the manifest's xseg_2, fetched when a "
                    + "session turns the mask on).")
    Path occluder;

    @Option(names = "--enhancer-model", paramLabel = "KIND=FILE",
            description = "Enhancer .onnx for KIND gfpgan, gpen256 or gpen512; repeat for several (default: GFPGANv1.4, "
                    + "GPEN-BFR-256, GPEN-BFR-512 from the manifest).")
    List<String> enhancerModels = new ArrayList<>();

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Model manifest to use instead of the one built into the engine (e.g. with your own mirrors): "
                    + "where default models are looked up and optional ones are fetched from when a filter asks for them.")
    Path manifestFile;

    @Override
    public Integer call() throws Exception {
        checkHost();
        new OptionChecks(spec)
                .check(port >= 0 && port <= 65535, "--port", port, "must be 0..65535 (0 picks a free port)")
                .check(maxSessions >= 1, "--max-sessions", maxSessions, "must be at least 1")
                .check(maxConnections >= 1, "--max-connections", maxConnections, "must be at least 1")
                .check(ownerPid == null || ownerPid > 0, "--owner-pid", ownerPid, "must be a process id")
                .done();
        ProcessHandle owner = ownerPid == null ? null : OwnerWatch.find(ownerPid).orElseThrow(() ->
                new UserFacingException("--owner-pid " + ownerPid + ": no such process; the engine's owner has "
                        + "ended already, so there is nothing to serve", 1, null));
        // Watched from now on: an owner that ends while the models load stops the engine as soon as it is up.
        CountDownLatch stop = new CountDownLatch(1);
        if (owner != null) {
            OwnerWatch.onEnd(owner, stop::countDown);
        }
        TokenFile tokens = tokenFile != null ? new TokenFile(tokenFile) : TokenFile.standard(System.getenv());
        AuthToken token = AuthToken.random();

        EngineModels.Files files = new EngineModels.Files(detector, recognizer, swapper, landmarks, enhancerFiles(),
                occluder);
        ModelFiles defaults = manifestFile == null ? ModelFiles.standard()
                : new ModelFiles(ModelManifest.load(manifestFile), ModelDirectory.standard());
        try (EngineModels models = new EngineModels(files, OrtConfig.defaults(), defaults)) {
            SessionPipelines pipelines = models.pipelines();
            SessionManager sessions = new SessionManager(ChannelFrameSource.FACTORY, pipelines, maxSessions);
            Capabilities caps = new Capabilities(EngineModels.providers(), models.status(), pipelines.description());
            ControlLimits limits = ControlLimits.DEFAULT.withMaxConnections(maxConnections);
            ControlServer server = new ControlServer(limits, token, caps, sessions,
                    new SourceFaceRequests(new SourceImages(), models.sourceFaceFinder()));
            InetSocketAddress bound;
            try {
                bound = server.start(host, port);
            } catch (IllegalStateException e) {
                throw new UserFacingException(e.getMessage() + " (is another engine running? choose another --port)", 1, e);
            }
            try {
                tokens.write(token); // only now: a start that fails leaves a running engine's token as it was
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            onStopSignal(stop::countDown);
            Thread hook = new Thread(() -> {
                // Any other way the JVM ends (System.exit elsewhere): still release sessions and channels.
                server.close();
                tokens.release(token);
            }, "serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            log.info("engine ready on {}:{}; token in {}", bound.getAddress().getHostAddress(), bound.getPort(), tokens.path());
            if (!OpticalFlow.available()) {
                log.warn(OpticalFlow.problem());
            }
            stop.await();
            log.info("stopping: ending sessions and closing connections");
            server.close();
            tokens.release(token);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook runs and finds everything closed.
            }
            log.info("stopped");
            return 0;
        }
    }

    /** The enhancer files given with --enhancer-model KIND=FILE, each kind at most once. */
    private Map<EnhancerKind, Path> enhancerFiles() {
        Map<EnhancerKind, Path> files = new EnumMap<>(EnhancerKind.class);
        for (String value : enhancerModels) {
            EnhancerModelArg arg = EnhancerModelArg.parse(value);
            if (arg.kind() == null) {
                throw new ParameterException(spec.commandLine(), "--enhancer-model expects KIND=FILE with KIND gfpgan, "
                        + "gpen256 or gpen512, got '" + value + "'");
            }
            if (files.put(arg.kind(), arg.file()) != null) {
                throw new ParameterException(spec.commandLine(), "--enhancer-model " + arg.kind().cliName()
                        + "=FILE is given twice");
            }
        }
        return files;
    }

    private void checkHost() {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new UserFacingException("cannot resolve --host " + host, 2, e);
        }
        for (InetAddress a : addresses) {
            if (!a.isLoopbackAddress() && !allowRemote) {
                throw new UserFacingException("refusing to listen on " + host + ", which other machines can reach: "
                        + "add --allow-remote if you mean it (clients still need the token)", 2, null);
            }
        }
    }

    /**
     * Turns SIGTERM and SIGINT into a clean stop this command controls (so it exits 0), instead of the JVM's default
     * of running shutdown hooks and exiting 143/130. Where a signal cannot be handled (another OS), the shutdown
     * hook still releases everything.
     */
    private static void onStopSignal(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException | LinkageError e) {
                log.debug("cannot handle SIG{} here ({}); relying on the shutdown hook", name, e.toString());
            }
        }
    }
}
