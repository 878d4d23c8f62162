package app.deeplive.engine.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Range checks of a command's option values that picocli's types cannot express. Every bad option is named in a
 * problem of its own; {@link #done()} reports them all at once as a usage error (exit 2), one line each.
 */
final class OptionChecks {
    private final CommandSpec spec;
    private final List<String> problems = new ArrayList<>();

    OptionChecks(CommandSpec spec) {
        this.spec = spec;
    }

    /** Unless {@code ok}: "OPTION VALUE: RULE", e.g. "--port 99999: must be 0..65535". */
    OptionChecks check(boolean ok, String option, Object value, String rule) {
        if (!ok) {
            problems.add(option + " " + value + ": " + rule);
        }
        return this;
    }

    /** Throws the usage error listing every problem found, if any. */
    void done() {
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join("\n", problems));
        }
    }
}
