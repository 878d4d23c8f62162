package app.deeplive.engine.cli;

import app.deeplive.engine.models.ConsoleProgress;
import app.deeplive.engine.models.DiskSpace;
import app.deeplive.engine.models.Downloader;
import app.deeplive.engine.models.FileSink;
import app.deeplive.engine.models.ModelFetcher;
import app.deeplive.engine.models.ModelManifest;
import app.deeplive.engine.models.Progress;
import app.deeplive.engine.models.ZipMember;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code models fetch [NAME...]}: download, verify and install models. */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = {
                "Download the named models (default: all), verify their SHA-256 and move them into the model directory.",
                "Interrupted downloads resume; files already verified are skipped. Files without a published hash are "
                        + "pinned in models.lock.json on first download (trust on first use)."})
final class ModelsFetchCommand implements Callable<Integer> {
    @Mixin
    ModelsOptions options;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Model names as `models list` shows them.")
    List<String> names;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelManifest manifest = options.manifest();
        Progress progress = ConsoleProgress.forTerminal();
        ModelFetcher fetcher = new ModelFetcher(manifest, options.modelDir(),
                new Downloader(Downloader.defaultClient(), FileSink.FILES, DiskSpace.FILE_STORE, progress),
                new ZipMember(FileSink.FILES, progress), DiskSpace.FILE_STORE, Clock.systemUTC(),
                spec.commandLine().getOut(), spec.commandLine().getErr());
        fetcher.fetch(ModelsOptions.select(manifest, names));
        return 0;
    }
}
