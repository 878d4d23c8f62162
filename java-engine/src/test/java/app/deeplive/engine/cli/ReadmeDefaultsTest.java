package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.control.ControlLimits;
import app.deeplive.engine.session.SourceImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Issue 14 item 9, the defaults and limits the READMEs quote: {@code serve}'s address and limits as its options
 * declare them, the plugin's default engine address, and the sizes the engine accepts.
 */
class ReadmeDefaultsTest {
    private static final Path REPO = ReadmeChecks.repository();
    private static final CommandSpec SERVE = Main.commandLine().getSubcommands().get("serve").getCommandSpec();
    private static final String README = read("README.md");
    private static final String PLUGIN_README = read("obs-plugin/README.md");

    @Test
    void theEngineAddressIsServesDefault() {
        String host = serveDefault("--host");
        String port = serveDefault("--port");
        assertContains(README, "`serve [--host " + host + "] [--port " + port + "]");
        assertContains(README, "`serve --host/--port` (default `" + host + ":" + port + "`)");
        assertContains(PLUGIN_README, "default `" + host + ":" + port + "`");
    }

    /** The filter's default address is where `serve` listens by default, so nothing needs configuring. */
    @Test
    void theFiltersDefaultAddressIsServesDefault() throws IOException {
        Matcher address = Pattern.compile("#define DLF_DEFAULT_ENGINE_ADDRESS \"([^\"]+)\"")
                .matcher(Files.readString(REPO.resolve("obs-plugin/src/filter-settings.h")));
        assertTrue(address.find(), "filter-settings.h defines DLF_DEFAULT_ENGINE_ADDRESS");
        assertEquals(serveDefault("--host") + ":" + serveDefault("--port"), address.group(1));
    }

    @Test
    void serveLimitsAreItsOptionsDefaults() {
        assertContains(README, "`serve --max-sessions N` (default " + serveDefault("--max-sessions") + ")");
        assertContains(README, "`--max-connections N` (default " + serveDefault("--max-connections") + ")");
        assertEquals(String.valueOf(ControlLimits.DEFAULT.maxConnections()), serveDefault("--max-connections"),
                "--max-connections' default is the control server's");
    }

    @Test
    void messageAndImageLimitsAreTheEngines() {
        assertContains(README, "messages ≤ " + (ControlLimits.DEFAULT_MAX_MESSAGE_BYTES >> 20) + " MiB, source images ≤ "
                + (SourceImages.MAX_BYTES >> 20) + " MiB and " + SourceImages.MAX_PIXELS / 1_000_000 + " Mpx");
    }

    private static String serveDefault(String option) {
        return SERVE.findOption(option).defaultValue();
    }

    private static void assertContains(String readme, String text) {
        assertTrue(readme.contains(text), "the README does not say \"" + text + "\"");
    }

    private static String read(String relative) {
        try {
            return Files.readString(REPO.resolve(relative)).replaceAll("\\s*\n\\s*", " ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
