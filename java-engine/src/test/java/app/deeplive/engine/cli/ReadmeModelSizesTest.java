package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.models.ModelEntry;
import app.deeplive.engine.models.ModelManifest;
import app.deeplive.engine.models.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Issue 14 item 9, README's sizes and model lists: what command 1 ({@code mvn -Prun}, the plugin pom's
 * fetch-models run) fetches, what all the models take to download and on disk, and which models it leaves for
 * later, as the manifest and the fetcher's rule make them. The fetcher extracts every missing member of an archive
 * it downloads (ModelFetcherTest.aModelInAZipIsExtractedWithItsSiblingsFromOneDownload), so asking for det_10g
 * also places its siblings.
 */
class ReadmeModelSizesTest {
    private static final Path REPO = ReadmeChecks.repository();
    private static final ModelManifest MANIFEST = ModelManifest.load(REPO.resolve("models/manifest.json"));
    private static final String README = readme();
    private static final List<String> WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve");

    /** The models the engine may use: those whose licence does not forbid it (the manifest lists the others too). */
    private final List<ModelEntry> all = MANIFEST.models().stream().filter(m -> m.licence().permitsUse()).toList();
    private final List<ModelEntry> commandOne = placedBy(commandOneNames());

    @Test
    void theModelCountIsTheManifests() {
        String count = WORDS.get(all.size());
        assertContains("The engine uses " + count + " production models");
        assertContains("models (all " + count + ")");
    }

    /** Each model the manifest lists but refuses is named in README with its licence. */
    @Test
    void theRefusedModelsAreNamedWithTheirLicence() {
        for (ModelEntry m : MANIFEST.models()) {
            if (!m.licence().permitsUse()) {
                assertContains(m.name());
                assertContains(m.licence().shortName());
            }
        }
    }

    @Test
    void allModelsTakeWhatTheReadmeSays() {
        assertContains("About " + gigabytes(diskBytes(all)) + " of disk for the models");
        assertContains("`models fetch` downloads all of them (about " + gigabytes(downloadBytes(all)));
    }

    @Test
    void commandOneFetchesWhatTheReadmeSays() {
        assertContains("an " + megabytes(downloadBytes(commandOne)) + " download, " + megabytes(diskBytes(commandOne))
                + " on disk");
        assertContains("about " + megabytes(diskBytes(commandOne)) + "–" + gigabytes(diskBytes(all)));
    }

    /** The command README gives for the models command 1 leaves out fetches exactly the enhancers it leaves out. */
    @Test
    void whatCommandOneLeavesOutIsNamed() {
        Matcher later = Pattern.compile("`models fetch ([^`]+)` gets them all ahead of time").matcher(README);
        assertTrue(later.find(), "README names the models command 1 does not fetch");
        Set<String> named = new TreeSet<>(List.of(later.group(1).split("\\s+")));
        Set<String> enhancersLeftOut = new TreeSet<>();
        for (ModelEntry m : all) {
            if (m.stage() == Stage.ENHANCE && !commandOne.contains(m)) {
                enhancersLeftOut.add(m.name());
            }
        }
        assertEquals(enhancersLeftOut, named);
    }

    /** The names the plugin pom's fetch-models execution passes to {@code models fetch}. */
    private static List<String> commandOneNames() {
        try {
            var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(REPO.resolve("obs-plugin/pom.xml").toFile());
            NodeList executions = pom.getElementsByTagName("execution");
            for (int i = 0; i < executions.getLength(); i++) {
                Element execution = (Element) executions.item(i);
                NodeList id = execution.getElementsByTagName("id");
                if (id.getLength() > 0 && id.item(0).getTextContent().strip().equals("fetch-models")) {
                    List<String> args = new ArrayList<>();
                    NodeList arguments = execution.getElementsByTagName("argument");
                    for (int j = 0; j < arguments.getLength(); j++) {
                        args.add(arguments.item(j).getTextContent().strip());
                    }
                    assertEquals(List.of("models", "fetch"), args.subList(0, 2), "fetch-models runs `models fetch`");
                    return args.subList(2, args.size());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read obs-plugin/pom.xml", e);
        }
        throw new IllegalStateException("obs-plugin/pom.xml has no fetch-models execution");
    }

    /** The models {@code models fetch names} puts in place: each, and every member of an archive it comes in. */
    private List<ModelEntry> placedBy(List<String> names) {
        Set<ModelEntry> placed = new LinkedHashSet<>();
        for (String name : names) {
            ModelEntry m = all.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
            placed.add(m);
            if (m.archive() != null) {
                placed.addAll(MANIFEST.membersOf(m.archive().archiveName()));
            }
        }
        return List.copyOf(placed);
    }

    private static long diskBytes(List<ModelEntry> models) {
        return models.stream().mapToLong(ModelEntry::size).sum();
    }

    /** An archive is downloaded once, however many of its members are wanted. */
    private static long downloadBytes(List<ModelEntry> models) {
        Set<String> archives = new LinkedHashSet<>();
        long bytes = 0;
        for (ModelEntry m : models) {
            if (m.archive() == null) {
                bytes += m.size();
            } else if (archives.add(m.archive().archiveName())) {
                bytes += MANIFEST.archive(m.archive().archiveName()).size();
            }
        }
        return bytes;
    }

    /** As README rounds: to 0.1 GB. */
    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    /** As README rounds: to 50 MB. */
    private static String megabytes(long bytes) {
        return Math.round(bytes / 1e6 / 50) * 50 + " MB";
    }

    private static void assertContains(String text) {
        assertTrue(README.contains(text), "README.md does not say \"" + text + "\"");
    }

    /** README.md with line breaks (and a shell comment's leading #) as single spaces. */
    private static String readme() {
        try {
            return Files.readString(REPO.resolve("README.md")).replaceAll("\\s*\n#?\\s*", " ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
