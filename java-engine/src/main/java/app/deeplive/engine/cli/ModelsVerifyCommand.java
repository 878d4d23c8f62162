package app.deeplive.engine.cli;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.models.LockFile;
import app.deeplive.engine.models.ModelEntry;
import app.deeplive.engine.models.ModelInventory;
import app.deeplive.engine.models.ModelManifest;
import app.deeplive.engine.models.ModelStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code models verify [NAME...]}: re-hash model files and compare with the manifest or the pinned hash. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
                "Re-hash model files and compare them with the manifest (or the hash pinned in models.lock.json).",
                "Without names: every model that is present. Exit code 1 on a mismatch, or when a named model is missing."})
final class ModelsVerifyCommand implements Callable<Integer> {
    @Mixin
    ModelsOptions options;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Model names as `models list` shows them.")
    List<String> names;

    @Spec
    CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        ModelManifest manifest = options.manifest();
        Path dir = options.modelDir();
        LockFile lock = LockFile.load(dir);
        ModelInventory inv = new ModelInventory(dir, lock);
        boolean named = names != null && !names.isEmpty();
        PrintWriter out = spec.commandLine().getOut();
        List<String> problems = new ArrayList<>();
        for (ModelEntry m : ModelsOptions.select(manifest, names)) {
            if (m.refusal() != null) { // named: nothing to check in a model the engine never uses
                problems.add(m.refusal());
                continue;
            }
            ModelStatus s = inv.verify(m);
            switch (s.state()) {
                case VERIFIED -> out.println(m.name() + ": verified");
                case MISSING -> {
                    if (named) {
                        problems.add(m.name() + " is missing at " + s.path() + ": run `" + EngineCommand.line("models fetch " + m.name()) + "`");
                    } else {
                        out.println(m.name() + ": missing (skipped)");
                    }
                }
                case UNPINNED -> {
                    lock.pin(m.file(), new LockFile.Pin(s.actualSha256(), Files.size(s.path()), clock.instant(),
                            "found at " + s.path()));
                    out.println(m.name() + ": no published sha256; pinned " + s.actualSha256() + " in "
                            + LockFile.FILE_NAME + " (trust on first use)");
                }
                default -> problems.add(m.name() + ": " + s.path() + " has sha256 " + s.actualSha256() + " but "
                        + (m.sha256() != null ? "the manifest says " : "the pinned hash is ") + s.expectedSha256()
                        + ": delete it and run `" + EngineCommand.line("models fetch " + m.name()) + "`");
            }
        }
        if (Files.isDirectory(dir)) {
            lock.save();
        }
        out.flush();
        for (int i = 0; i < problems.size() - 1; i++) {
            spec.commandLine().getErr().println("error: " + problems.get(i));
        }
        if (!problems.isEmpty()) {
            throw new UserFacingException(problems.get(problems.size() - 1));
        }
        return 0;
    }
}
