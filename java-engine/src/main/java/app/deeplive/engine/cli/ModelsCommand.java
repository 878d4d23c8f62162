package app.deeplive.engine.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code models list|fetch|verify}: the production models, from the manifest in models/manifest.json. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        synopsisSubcommandLabel = "COMMAND",
        description = {
                "List, download and verify the production models (detector, recogniser, landmarks, swapper, enhancers).",
                "Licences: the InsightFace models and inswapper are for non-commercial research use only; "
                        + "GPEN is for academic and non-commercial use only; `models list` shows each."},
        subcommands = {ModelsListCommand.class, ModelsFetchCommand.class, ModelsVerifyCommand.class})
final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: list, fetch or verify");
    }
}
