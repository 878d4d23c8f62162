package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFetcherTest {
    private static final byte[] SWAPPER = TestBytes.random(200_000, 10);
    private static final byte[] DETECTOR = TestBytes.random(50_000, 11);
    private static final byte[] RECOGNISER = TestBytes.random(80_000, 12);
    private static final byte[] LANDMARKS = TestBytes.random(30_000, 13);
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path models;

    private TestServer server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private FileSink sink = FileSink.FILES;
    private DiskSpace space = dir -> Long.MAX_VALUE;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A manifest of a direct swapper and a zip "pack" holding three models, all served by the test server. */
    private ModelManifest manifest(String swapperSha, String packSha, URI... swapperUrls) {
        String urls = List.of(swapperUrls).stream().map(u -> "\"" + u + "\"").collect(Collectors.joining(","));
        return ModelManifest.parse("""
                {"version": 1,
                 "archives": [{"name": "pack", "file": "pack.zip", "urls": ["%s"], "sha256": %s}],
                 "models": [
                  {"name": "swapper", "file": "swapper.onnx", "stage": "swap", "size": %d, "sha256": %s,
                   "urls": [%s], "licence": {"short": "nc", "text": "research only"}},
                  %s, %s, %s
                 ]}""".formatted(server.url("/pack.zip"), json(packSha), SWAPPER.length, json(swapperSha), urls,
                member("det", DETECTOR, "detect"), member("rec", RECOGNISER, "recognize"),
                member("lmk", LANDMARKS, "landmarks")), "test manifest");
    }

    private static String member(String name, byte[] body, String stage) {
        return """
                {"name": "%s", "file": "%s.onnx", "stage": "%s", "size": %d, "sha256": "%s",
                 "archive": {"name": "pack", "member": "%s.onnx"}, "licence": {"short": "nc", "text": "research only"}}"""
                .formatted(name, name, stage, body.length, Sha256.of(body), name);
    }

    private static String json(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private void fetch(ModelManifest manifest, String... names) throws Exception {
        Downloader downloader = new Downloader(Downloader.defaultClient(), sink, space, Progress.NONE);
        new ModelFetcher(manifest, models, downloader, new ZipMember(sink, Progress.NONE), space,
                Clock.fixed(NOW, ZoneOffset.UTC), new PrintWriter(out, true), new PrintWriter(err, true))
                .fetch(List.of(names).stream().map(manifest::require).toList());
    }

    private Map<String, byte[]> packMembers() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("pack/det.onnx", DETECTOR); // members sit in a folder inside the zip, as in some packs
        m.put("pack/rec.onnx", RECOGNISER);
        m.put("pack/lmk.onnx", LANDMARKS);
        m.put("pack/extra.onnx", TestBytes.random(100, 14));
        return m;
    }

    @Test
    void aFetchedModelIsVerifiedAndRenamedIntoPlace() throws Exception {
        server.serve("/swapper.onnx", SWAPPER);

        fetch(manifest(Sha256.of(SWAPPER), null, server.url("/swapper.onnx")), "swapper");

        assertArrayEquals(SWAPPER, Files.readAllBytes(models.resolve("swapper.onnx")));
        assertFalse(Files.exists(models.resolve(".downloads/swapper.onnx.part")));
        assertFalse(Files.exists(models.resolve(".downloads/swapper.onnx")));
        assertTrue(out.toString().contains("swapper: verified and saved to " + models.resolve("swapper.onnx")));
        assertEquals(ModelState.VERIFIED, new ModelInventory(models, LockFile.load(models))
                .recorded(manifest(Sha256.of(SWAPPER), null, server.url("/swapper.onnx")).require("swapper")).state());
    }

    @Test
    void aVerifiedModelIsNotDownloadedAgain() throws Exception {
        server.serve("/swapper.onnx", SWAPPER);
        ModelManifest manifest = manifest(Sha256.of(SWAPPER), null, server.url("/swapper.onnx"));
        fetch(manifest, "swapper");

        fetch(manifest, "swapper");

        assertEquals(1, server.requests().size());
        assertTrue(out.toString().contains("swapper: already verified"));
    }

    @Test
    void aHashMismatchIsOneActionableLineAndLeavesNoFile() throws Exception {
        server.serve("/swapper.onnx", TestBytes.random(SWAPPER.length, 99));
        String sha = Sha256.of(SWAPPER);

        String msg = assertThrows(UserFacingException.class,
                () -> fetch(manifest(sha, null, server.url("/swapper.onnx")), "swapper")).getMessage();

        assertEquals(-1, msg.indexOf('\n'), msg);
        assertTrue(msg.startsWith("cannot fetch swapper: " + server.url("/swapper.onnx") + ": hash mismatch"), msg);
        assertTrue(msg.contains("download " + server.url("/swapper.onnx") + " to " + models.resolve("swapper.onnx")
                + " (sha256 " + sha + ")"), msg);
        assertFalse(Files.exists(models.resolve("swapper.onnx")));
        assertFalse(Files.exists(models.resolve(".downloads/swapper.onnx.part")));
    }

    @Test
    void serverErrorsOnEveryMirrorNameEachUrl() throws Exception {
        server.status("/a", 500).status("/b", 404);

        String msg = assertThrows(UserFacingException.class,
                () -> fetch(manifest(Sha256.of(SWAPPER), null, server.url("/a"), server.url("/b")), "swapper"))
                .getMessage();

        assertTrue(msg.contains(server.url("/a") + ": HTTP 500; " + server.url("/b") + ": HTTP 404"), msg);
        assertFalse(Files.exists(models.resolve("swapper.onnx")));
    }

    @Test
    void aFullDiskNamesTheFileAndKeepsOnlyThePart() throws Exception {
        server.serve("/swapper.onnx", SWAPPER);
        sink = TestBytes.diskFullAfter(64 * 1024);

        String msg = assertThrows(UserFacingException.class,
                () -> fetch(manifest(Sha256.of(SWAPPER), null, server.url("/swapper.onnx")), "swapper")).getMessage();

        assertTrue(msg.startsWith("not enough disk space to fetch swapper: the disk filled up while writing "
                + models.resolve(".downloads/swapper.onnx.part")), msg);
        assertFalse(Files.exists(models.resolve("swapper.onnx")));
        assertTrue(Files.exists(models.resolve(".downloads/swapper.onnx.part")));
    }

    @Test
    void aModelInAZipIsExtractedWithItsSiblingsFromOneDownload() throws Exception {
        byte[] zip = TestBytes.zip(packMembers());
        server.serve("/pack.zip", zip);
        ModelManifest manifest = manifest(Sha256.of(SWAPPER), Sha256.of(zip), server.url("/swapper.onnx"));

        fetch(manifest, "det", "rec");

        assertEquals(1, server.requestsFor("/pack.zip"));
        assertArrayEquals(DETECTOR, Files.readAllBytes(models.resolve("det.onnx")));
        assertArrayEquals(RECOGNISER, Files.readAllBytes(models.resolve("rec.onnx")));
        assertArrayEquals(LANDMARKS, Files.readAllBytes(models.resolve("lmk.onnx")));
        assertFalse(Files.exists(models.resolve("extra.onnx")), "only manifest members are extracted");
        assertFalse(Files.exists(models.resolve(".downloads/pack.zip")), "the archive is removed once extracted");
    }

    @Test
    void aDamagedArchiveIsRefusedBeforeAnythingIsExtracted() throws Exception {
        byte[] zip = TestBytes.zip(packMembers());
        server.serve("/pack.zip", zip);

        String msg = assertThrows(UserFacingException.class,
                () -> fetch(manifest(null, "0".repeat(64), server.url("/swapper.onnx")), "det")).getMessage();

        assertTrue(msg.contains("hash mismatch"), msg);
        assertTrue(msg.contains("download " + server.url("/pack.zip") + " and extract det.onnx from it to "
                + models.resolve("det.onnx")), msg);
        assertFalse(Files.exists(models.resolve("det.onnx")));
    }

    @Test
    void withoutAPublishedHashTheFirstDownloadIsPinnedAndLaterChangesAreCaught() throws Exception {
        server.serve("/swapper.onnx", SWAPPER);
        ModelManifest manifest = manifest(null, null, server.url("/swapper.onnx"));

        fetch(manifest, "swapper");

        LockFile.Pin pin = LockFile.load(models).pin("swapper.onnx").orElseThrow();
        assertEquals(new LockFile.Pin(Sha256.of(SWAPPER), SWAPPER.length, NOW, server.url("/swapper.onnx").toString()),
                pin);
        assertTrue(out.toString().contains("no published sha256; pinned " + Sha256.of(SWAPPER)), out.toString());

        // Upstream now serves something else: a fresh fetch must refuse it.
        Files.delete(models.resolve("swapper.onnx"));
        server.serve("/swapper.onnx", TestBytes.random(SWAPPER.length, 77));
        String msg = assertThrows(UserFacingException.class, () -> fetch(manifest, "swapper")).getMessage();
        assertTrue(msg.contains("expected " + Sha256.of(SWAPPER)), msg);
        assertFalse(Files.exists(models.resolve("swapper.onnx")));
    }

    @Test
    void aFileThatChangedOnDiskIsReportedAsAMismatchAndReplaced() throws Exception {
        server.serve("/swapper.onnx", SWAPPER);
        Files.write(models.resolve("swapper.onnx"), TestBytes.random(1000, 5));

        fetch(manifest(Sha256.of(SWAPPER), null, server.url("/swapper.onnx")), "swapper");

        assertTrue(out.toString().contains("fetching a fresh copy"), out.toString());
        assertArrayEquals(SWAPPER, Files.readAllBytes(models.resolve("swapper.onnx")));
    }

    @Test
    void oneFailureDoesNotStopTheOtherModels() throws Exception {
        byte[] zip = TestBytes.zip(packMembers());
        server.serve("/pack.zip", zip).status("/swapper.onnx", 404);

        String msg = assertThrows(UserFacingException.class, () -> fetch(
                manifest(Sha256.of(SWAPPER), Sha256.of(zip), server.url("/swapper.onnx")), "swapper", "det"))
                .getMessage();

        assertTrue(msg.startsWith("cannot fetch swapper"), msg);
        assertTrue(Files.exists(models.resolve("det.onnx")));
    }

    @Test
    void anInterruptedFetchSaysItWillResumeAndTheNextFetchDoes() throws Exception {
        server.dropOnceAfter("/swapper.onnx", SWAPPER, 70_000);
        ModelManifest manifest = manifest(Sha256.of(SWAPPER), null, server.url("/swapper.onnx"));

        String msg = assertThrows(UserFacingException.class, () -> fetch(manifest, "swapper")).getMessage();
        assertTrue(msg.contains("(the partial download " + models.resolve(".downloads/swapper.onnx.part")
                + " resumes on the next `" + EngineCommand.line("models fetch swapper") + "`)"), msg);
        assertFalse(Files.exists(models.resolve("swapper.onnx")));

        fetch(manifest, "swapper");

        assertTrue(server.requests().get(1).range().startsWith("bytes="), server.requests().toString());
        assertArrayEquals(SWAPPER, Files.readAllBytes(models.resolve("swapper.onnx")));
    }
}
