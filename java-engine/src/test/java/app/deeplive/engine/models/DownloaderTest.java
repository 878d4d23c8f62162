package app.deeplive.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    private static final byte[] BODY = TestBytes.random(300_000, 1);
    private static final String SHA = Sha256.of(BODY);

    @TempDir
    Path work;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Downloader downloader(FileSink sink, DiskSpace space) {
        return new Downloader(Downloader.defaultClient(), sink, space, Progress.NONE);
    }

    private static Downloader downloader() {
        return downloader(FileSink.FILES, dir -> Long.MAX_VALUE);
    }

    private Download download(String sha, URI... urls) {
        return new Download("test-model", "model.onnx", List.of(urls), (long) BODY.length, sha);
    }

    @Test
    void downloadsVerifiesAndLeavesOnlyTheCompleteFile() throws Exception {
        server.serve("/m", BODY);

        Downloaded d = downloader().fetch(download(SHA, server.url("/m")), work);

        assertEquals(work.resolve("model.onnx"), d.file());
        assertArrayEquals(BODY, Files.readAllBytes(d.file()));
        assertEquals(SHA, d.sha256());
        assertFalse(Files.exists(work.resolve("model.onnx.part")));
    }

    @Test
    void followsRedirects() throws Exception {
        server.redirect("/release", "/cdn").serve("/cdn", BODY);

        Downloaded d = downloader().fetch(download(SHA, server.url("/release")), work);

        assertEquals(SHA, d.sha256());
    }

    @Test
    void anInterruptedDownloadKeepsItsPartAndTheNextFetchResumesWithRange() throws Exception {
        server.dropOnceAfter("/m", BODY, 100_000);

        DownloadFailure first = assertThrows(DownloadFailure.class,
                () -> downloader().fetch(download(SHA, server.url("/m")), work));
        Path part = work.resolve("model.onnx.part");
        assertEquals(part, first.partial());
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < BODY.length, "kept " + kept);

        Downloaded d = downloader().fetch(download(SHA, server.url("/m")), work);

        assertEquals("bytes=" + kept + "-", server.requests().get(1).range());
        assertArrayEquals(BODY, Files.readAllBytes(d.file()));
        assertFalse(Files.exists(part));
    }

    @Test
    void aServerThatIgnoresRangeRestartsThePartCleanly() throws Exception {
        Files.write(work.resolve("model.onnx.part"), TestBytes.random(50_000, 99)); // not even a prefix of BODY
        server.serveIgnoringRange("/m", BODY);

        Downloaded d = downloader().fetch(download(SHA, server.url("/m")), work);

        assertEquals("bytes=50000-", server.requests().get(0).range());
        assertArrayEquals(BODY, Files.readAllBytes(d.file()));
    }

    @Test
    void aHashMismatchDeletesThePartAndLeavesNothing() throws Exception {
        server.serve("/m", TestBytes.random(BODY.length, 2));

        DownloadFailure f = assertThrows(DownloadFailure.class,
                () -> downloader().fetch(download(SHA, server.url("/m")), work));

        assertTrue(f.attempts().get(0).contains("hash mismatch"), f.attempts().toString());
        assertTrue(f.attempts().get(0).contains(SHA), f.attempts().toString());
        assertNull(f.partial());
        assertFalse(Files.exists(work.resolve("model.onnx.part")));
        assertFalse(Files.exists(work.resolve("model.onnx")));
    }

    @Test
    void serverErrorsFallThroughToTheNextMirror() throws Exception {
        server.status("/a", 500).status("/b", 404).serve("/c", BODY);

        Downloaded d = downloader().fetch(download(SHA, server.url("/a"), server.url("/b"), server.url("/c")), work);

        assertEquals(server.url("/c"), d.source());
        assertEquals(3, server.requests().size());
    }

    @Test
    void whenEveryMirrorFailsEachOneIsReported() throws Exception {
        server.status("/a", 500).status("/b", 404);

        DownloadFailure f = assertThrows(DownloadFailure.class,
                () -> downloader().fetch(download(SHA, server.url("/a"), server.url("/b")), work));

        assertEquals(List.of(server.url("/a") + ": HTTP 500", server.url("/b") + ": HTTP 404"), f.attempts());
        assertFalse(f.diskFull());
    }

    @Test
    void aDiskThatFillsUpStopsAllMirrorsAndKeepsThePartForLater() throws Exception {
        server.serve("/a", BODY).serve("/b", BODY);

        DownloadFailure f = assertThrows(DownloadFailure.class, () -> downloader(TestBytes.diskFullAfter(120_000),
                dir -> Long.MAX_VALUE).fetch(download(SHA, server.url("/a"), server.url("/b")), work));

        assertTrue(f.diskFull());
        assertTrue(f.getMessage().contains("No space left on device"), f.getMessage());
        assertEquals(1, server.requests().size());
        assertTrue(Files.size(f.partial()) <= 120_000);
        assertFalse(Files.exists(work.resolve("model.onnx")));
    }

    @Test
    void tooLittleFreeSpaceFailsBeforeDownloading() throws Exception {
        server.serve("/a", BODY);

        DownloadFailure f = assertThrows(DownloadFailure.class,
                () -> downloader(FileSink.FILES, dir -> 1000).fetch(download(SHA, server.url("/a")), work));

        assertTrue(f.diskFull());
        assertTrue(f.getMessage().contains("only 1.0 kB is free"), f.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void withoutAnExpectedHashTheDownloadIsKeptAndItsHashReported() throws Exception {
        server.serve("/m", BODY);

        Downloaded d = downloader().fetch(download(null, server.url("/m")), work);

        assertEquals(SHA, d.sha256());
    }

    @Test
    void anUnreachableMirrorIsReportedAsOffline() throws Exception {
        URI closed;
        try (TestServer gone = new TestServer()) {
            closed = gone.url("/m");
        }

        DownloadFailure f = assertThrows(DownloadFailure.class, () -> downloader().fetch(download(SHA, closed), work));

        assertTrue(f.attempts().get(0).contains("cannot connect"), f.attempts().toString());
    }

    @Test
    void aBodyLongerThanTheManifestSaysIsCutOffAndDiscarded() throws Exception {
        server.serve("/m", TestBytes.random(BODY.length * 3, 4));

        DownloadFailure f = assertThrows(DownloadFailure.class,
                () -> downloader().fetch(download(SHA, server.url("/m")), work));

        assertTrue(f.attempts().get(0).contains("sent " + (BODY.length + 1) + " bytes, expected " + BODY.length),
                f.attempts().toString());
        assertFalse(Files.exists(work.resolve("model.onnx.part")));
    }

    @Test
    void aResumedDownloadThatDoesNotAddUpStartsOverOnceFromScratch() throws Exception {
        Files.write(work.resolve("model.onnx.part"), TestBytes.random(50_000, 98)); // a stale prefix of another file
        server.serve("/m", BODY);

        Downloaded d = downloader().fetch(download(SHA, server.url("/m")), work);

        assertEquals("bytes=50000-", server.requests().get(0).range());
        assertNull(server.requests().get(1).range());
        assertArrayEquals(BODY, Files.readAllBytes(d.file()));
    }
}
