package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code models list|fetch|verify} as a user runs them, through the engine's command line. */
class ModelsCommandTest {
    private static final byte[] A = TestBytes.random(5000, 1);
    private static final byte[] B = TestBytes.random(6000, 2);
    private static final byte[] C = TestBytes.random(7000, 3);

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** NAME → STATE column of `models list`. */
    private static void writeAnHourAgo(Path file, byte[] content) throws Exception {
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
    }

    private static Map<String, String> states(String listing) {
        return Arrays.stream(listing.split("\n"))
                .skip(1)
                .filter(l -> !l.startsWith("model directory") && !l.startsWith("run "))
                .map(l -> l.trim().split("\\s{2,}"))
                .collect(Collectors.toMap(c -> c[0], c -> c[4]));
    }

    private Path manifest(String url) throws Exception {
        String model = """
                {"name": "%s", "file": "%s.onnx", "stage": "enhance", "size": %d, "sha256": %s, "urls": ["%s"],
                 "licence": {"short": "nc", "text": "research only"}}""";
        String json = "{\"version\": 1, \"models\": [" + String.join(",",
                model.formatted("a", "a", A.length, "\"" + Sha256.of(A) + "\"", url + "/a.onnx"),
                model.formatted("b", "b", B.length, "\"" + Sha256.of(B) + "\"", url + "/b.onnx"),
                model.formatted("c", "c", C.length, "\"" + Sha256.of(C) + "\"", url + "/c.onnx"),
                model.formatted("d", "d", 10, "null", url + "/d.onnx"),
                model.formatted("e", "e", 10, "null", url + "/e.onnx")) + "]}";
        Path p = dir.resolve("manifest-test.json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void listShowsEveryProductionModelMissingInAnEmptyDirectory() {
        Run r = run("models", "list", "--models-dir", dir.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("NAME"), r.out());
        Map<String, String> states = states(r.out());
        assertEquals(List.of("2d106det", "GFPGANv1.4", "GPEN-BFR-256", "GPEN-BFR-512", "det_10g", "hyperswap_1a_256",
                "hyperswap_1b_256", "hyperswap_1c_256", "inswapper_128", "inswapper_128_fp16", "w600k_r50", "xseg_1",
                "xseg_2", "xseg_3"),
                states.keySet().stream().sorted().toList());
        states.forEach((name, state) -> assertEquals(name.startsWith("hyperswap") ? "refused (licence)" : "missing",
                state, name));
        assertTrue(r.out().contains("inswapper_128_fp16  swap"), r.out());
        assertTrue(r.out().contains("model directory: " + dir), r.out());
    }

    @Test
    void listTellsEachState() throws Exception {
        Path manifest = manifest("http://127.0.0.1:9");
        writeAnHourAgo(dir.resolve("a.onnx"), A); // old enough for verify's record to vouch for it
        writeAnHourAgo(dir.resolve("b.onnx"), C); // the wrong content
        assertEquals(0, run("models", "verify", "a", "--models-dir", dir.toString(), "--manifest", manifest.toString())
                .exit());
        assertEquals(1, run("models", "verify", "b", "--models-dir", dir.toString(), "--manifest", manifest.toString())
                .exit());
        Files.write(dir.resolve("c.onnx"), C); // never verified
        Files.write(dir.resolve("d.onnx"), B); // no published hash, none pinned

        Run r = run("models", "list", "--models-dir", dir.toString(), "--manifest", manifest.toString());

        assertEquals(0, r.exit(), r.err());
        assertEquals(Map.of("a", "verified", "b", "hash mismatch", "c", "present", "d", "unpinned", "e", "missing"),
                states(r.out()));
        assertTrue(r.out().contains("run `" + EngineCommand.line("models verify") + "`"), r.out());
    }

    @Test
    void verifyExitsNonZeroWithOneLineOnAMismatch() throws Exception {
        Path manifest = manifest("http://127.0.0.1:9");
        Files.write(dir.resolve("a.onnx"), A);
        Files.write(dir.resolve("b.onnx"), C);

        Run r = run("models", "verify", "--models-dir", dir.toString(), "--manifest", manifest.toString());

        assertEquals(1, r.exit());
        assertEquals("error: b: " + dir.resolve("b.onnx") + " has sha256 " + Sha256.of(C) + " but the manifest says "
                + Sha256.of(B) + ": delete it and run `" + EngineCommand.line("models fetch b") + "`\n", r.err());
        assertTrue(r.out().contains("a: verified"), r.out());
        assertTrue(r.out().contains("e: missing (skipped)"), r.out());
    }

    @Test
    void verifyPinsAFileThatHasNoPublishedHash() throws Exception {
        Path manifest = manifest("http://127.0.0.1:9");
        Files.write(dir.resolve("d.onnx"), B);

        Run r = run("models", "verify", "d", "--models-dir", dir.toString(), "--manifest", manifest.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("pinned " + Sha256.of(B)), r.out());
        Files.write(dir.resolve("d.onnx"), A);
        Run later = run("models", "verify", "d", "--models-dir", dir.toString(), "--manifest", manifest.toString());
        assertEquals(1, later.exit());
        assertTrue(later.err().contains("but the pinned hash is " + Sha256.of(B)), later.err());
    }

    @Test
    void aNamedModelThatIsMissingFailsVerification() throws Exception {
        Run r = run("models", "verify", "e", "--models-dir", dir.toString(), "--manifest",
                manifest("http://127.0.0.1:9").toString());

        assertEquals(1, r.exit());
        assertEquals("error: e is missing at " + dir.resolve("e.onnx") + ": run `" + EngineCommand.line("models fetch e") + "`\n", r.err());
    }

    @Test
    void fetchDownloadsIntoTheModelDirectory() throws Exception {
        try (TestServer server = new TestServer()) {
            server.serve("/a.onnx", A);
            Path manifest = manifest(server.url("").toString());

            Run r = run("models", "fetch", "a", "--models-dir", dir.toString(), "--manifest", manifest.toString());

            assertEquals(0, r.exit(), r.err());
            assertArrayEquals(A, Files.readAllBytes(dir.resolve("a.onnx")));
            assertEquals("verified", states(run("models", "list", "--models-dir", dir.toString(), "--manifest",
                    manifest.toString()).out()).get("a"));
        }
    }

    /** HyperSwap's ResearchRAIL-MS allows research use only: asked for by name, nothing is downloaded. */
    @Test
    void aModelWhoseLicenceForbidsOurUseIsNeverFetched() {
        Run r = run("models", "fetch", "hyperswap_1a_256", "--models-dir", dir.toString());

        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: hyperswap_1a_256 is refused: its licence (ResearchRAIL-MS, "), r.err());
        assertTrue(r.err().contains("research use only") && r.err().contains("--swapper FILE"), r.err());
        assertTrue(Files.notExists(dir.resolve("hyperswap_1a_256.onnx")));
        Run verify = run("models", "verify", "hyperswap_1a_256", "--models-dir", dir.toString());
        assertEquals(1, verify.exit());
        assertTrue(verify.err().startsWith("error: hyperswap_1a_256 is refused"), verify.err());
    }

    /** `models fetch` without names means every model the engine may use: a refused one is not among them. */
    @Test
    void fetchingEverythingLeavesOutTheRefusedModels() throws Exception {
        try (TestServer server = new TestServer()) {
            server.serve("/a.onnx", A);
            server.serve("/f.onnx", B);
            String json = """
                    {"version": 1, "models": [
                     {"name": "a", "file": "a.onnx", "stage": "enhance", "size": %d, "sha256": "%s", "urls": ["%s"],
                      "licence": {"short": "nc", "text": "research only"}},
                     {"name": "f", "file": "f.onnx", "stage": "swap", "size": %d, "sha256": "%s", "urls": ["%s"],
                      "licence": {"short": "ResearchRAIL-MS", "text": "research only", "forbids": "not research"}}]}"""
                    .formatted(A.length, Sha256.of(A), server.url("/a.onnx"), B.length, Sha256.of(B),
                            server.url("/f.onnx"));
            Path manifest = Files.writeString(dir.resolve("manifest-forbids.json"), json);
            Path models = Files.createDirectories(dir.resolve("models"));

            Run r = run("models", "fetch", "--models-dir", models.toString(), "--manifest", manifest.toString());

            assertEquals(0, r.exit(), r.err());
            assertArrayEquals(A, Files.readAllBytes(models.resolve("a.onnx")));
            assertTrue(Files.notExists(models.resolve("f.onnx")), "the refused model was downloaded");
        }
    }

    @Test
    void fetchingAnUnknownModelIsAOneLineError() {
        Run r = run("models", "fetch", "inswapper_256", "--models-dir", dir.toString());

        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: unknown model 'inswapper_256'; known models: det_10g,"), r.err());
    }

    @Test
    void offlineFetchIsOneLineNamingTheUrlAndWhereToPutTheFile() throws Exception {
        Path manifest = manifest("http://127.0.0.1:9");

        Run r = run("models", "fetch", "a", "--models-dir", dir.toString(), "--manifest", manifest.toString());

        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: cannot fetch a: http://127.0.0.1:9/a.onnx: cannot connect"), r.err());
        assertTrue(r.err().contains(dir.resolve("a.onnx") + " (sha256 " + Sha256.of(A) + ")"), r.err());
        assertTrue(Files.notExists(dir.resolve("a.onnx")));
    }

    @Test
    void everyModelsCommandHasHelp() {
        for (String[] args : List.of(new String[] {"models", "--help"}, new String[] {"models", "list", "--help"},
                new String[] {"models", "fetch", "--help"}, new String[] {"models", "verify", "--help"})) {
            Run r = run(args);
            assertEquals(0, r.exit(), String.join(" ", args));
            assertTrue(r.out().contains("Usage:"), r.out());
        }
        assertTrue(run("models", "fetch", "--help").out().contains("--models-dir"));
    }

    @Test
    void modelsWithoutACommandIsAUsageError() {
        assertEquals(2, run("models").exit());
    }
}
