package app.deeplive.engine.cli;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.models.LockFile;
import app.deeplive.engine.models.ModelEntry;
import app.deeplive.engine.models.ModelInventory;
import app.deeplive.engine.models.ModelManifest;
import app.deeplive.engine.models.ModelState;
import app.deeplive.engine.models.ModelStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code models list}: one row per model with its state, read without hashing. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
                "Show every production model and its state: missing, present (not checked since it changed), verified, "
                        + "hash mismatch, or unpinned (no published hash and none pinned yet).",
                "Fast: it does not re-hash files; `models verify` does."})
final class ModelsListCommand implements Callable<Integer> {
    @Mixin
    ModelsOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelManifest manifest = options.manifest();
        Path dir = options.modelDir();
        ModelInventory inv = new ModelInventory(dir, LockFile.load(dir));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "STAGE", "FILE", "SIZE", "STATE", "LICENCE"});
        boolean unchecked = false;
        for (ModelEntry m : manifest.models()) {
            ModelStatus s = inv.recorded(m);
            unchecked |= m.licence().permitsUse() && (s.state() == ModelState.PRESENT || s.state() == ModelState.UNPINNED);
            rows.add(new String[] {m.name(), m.stage().id(), m.file(), size(m.size()),
                    m.licence().permitsUse() ? s.state().label() : "refused (licence)",
                    m.licence().shortName()});
        }
        PrintWriter out = spec.commandLine().getOut();
        print(out, rows);
        out.println("model directory: " + dir);
        if (unchecked) {
            out.println("run `" + EngineCommand.line("models verify") + "` to check the files marked present or unpinned");
        }
        out.flush();
        return 0;
    }

    private static String size(Long bytes) {
        return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void print(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", r[i]));
            }
            out.println(line);
        }
    }
}
