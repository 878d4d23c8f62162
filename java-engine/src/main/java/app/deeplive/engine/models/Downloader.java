package app.deeplive.engine.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one file over HTTP(S) into a work directory, trying its mirrors in order.
 *
 * <p>Bytes go to {@code <file>.part}; a later run resumes it with a Range request (a server that ignores Range
 * starts it over). The SHA-256 is computed while streaming. A complete, matching file is renamed to {@code <file>}
 * in the work directory; a mismatching one is deleted. Nothing here writes where the engine loads models.
 */
public final class Downloader {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final FileSink sink;
    private final DiskSpace space;
    private final Progress progress;

    public Downloader(HttpClient http, FileSink sink, DiskSpace space, Progress progress) {
        this.http = http;
        this.sink = sink;
        this.space = space;
        this.progress = progress;
    }

    /** The client the CLI uses: follows redirects (GitHub releases and Hugging Face redirect to CDNs). */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** Downloads {@code d} into {@code workDir}, verifying it against {@code d.sha256()} when that is known. */
    public Downloaded fetch(Download d, Path workDir) throws DownloadFailure, InterruptedException {
        Path part = workDir.resolve(d.file() + ".part");
        Path done = workDir.resolve(d.file());
        List<String> attempts = new ArrayList<>();
        try {
            Downloaded earlier = alreadyThere(d, done);
            if (earlier != null) {
                return earlier;
            }
        } catch (IOException e) {
            throw new DownloadFailure("cannot read " + done + ": " + e.getMessage(), List.of(), existing(part), false);
        }
        for (URI url : d.urls()) {
            try {
                Files.createDirectories(workDir);
                return attempt(d, url, part, done);
            } catch (MirrorFailed e) {
                attempts.add(url + ": " + e.getMessage());
            } catch (DiskFull e) {
                attempts.add(url + ": " + e.getMessage());
                throw new DownloadFailure(e.getMessage(), attempts, existing(part), true);
            } catch (IOException e) {
                // Our own side failed (permissions, a broken disk): no other mirror would help.
                attempts.add(url + ": " + e);
                throw new DownloadFailure("cannot write " + part + ": " + e.getMessage(), attempts, existing(part), false);
            }
        }
        throw new DownloadFailure("no mirror of " + d.file() + " worked", attempts, existing(part), false);
    }

    /** A complete copy from an earlier run (or put there by hand) that still checks out, else null. */
    private static Downloaded alreadyThere(Download d, Path done) throws IOException {
        if (!Files.isRegularFile(done)) {
            return null;
        }
        long size = Files.size(done);
        String sha = Sha256.of(done);
        if ((d.size() == null || d.size() == size) && (d.sha256() == null || d.sha256().equals(sha))) {
            return new Downloaded(done, sha, size, done.toUri());
        }
        Files.delete(done);
        return null;
    }

    private static Path existing(Path p) {
        return Files.exists(p) ? p : null;
    }

    private Downloaded attempt(Download d, URI url, Path part, Path done)
            throws IOException, MirrorFailed, DiskFull, InterruptedException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (d.size() != null && have > d.size()) {
            Files.delete(part);
            have = 0;
        }
        if (d.size() != null && have == d.size()) {
            // A previous run got every byte but stopped before verifying: no need to ask the server.
            String sha = Sha256.of(part);
            if (d.sha256() == null || d.sha256().equals(sha)) {
                return complete(part, done, sha, have, url);
            }
            Files.delete(part);
            have = 0;
        }
        requireSpace(d, part.getParent(), have);

        HttpResponse<InputStream> response = send(url, have);
        int status = response.statusCode();
        if (have > 0 && status == 206 && rangeStart(response) != have) {
            response.body().close();
            have = 0;
            response = send(url, 0);
            status = response.statusCode();
        } else if (have > 0 && status == 416) {
            // The server says our partial file does not fit its file (it changed): start again.
            response.body().close();
            have = 0;
            response = send(url, 0);
            status = response.statusCode();
        }
        if (status == 200) {
            have = 0; // Range ignored (or not sent): the body is the whole file.
        } else if (status != 206) {
            response.body().close();
            throw new MirrorFailed("HTTP " + status);
        }

        MessageDigest digest = Sha256.newDigest();
        if (have > 0) {
            try (InputStream prefix = Files.newInputStream(part)) {
                Sha256.update(digest, prefix);
            }
        }
        long total = d.size() != null ? d.size() : response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (d.size() == null && total >= 0) {
            total += have;
        }
        long limit = d.size() != null ? d.size() - have : Long.MAX_VALUE;
        long written = copy(response.body(), part, have > 0, digest, d.file(), total, have, limit);
        long size = have + written;

        if (d.size() != null && size < d.size()) {
            throw new MirrorFailed("the connection ended after " + size + " of " + d.size()
                    + " bytes (kept for resume)");
        }
        if (d.size() != null && size > d.size()) {
            Files.delete(part);
            throw new MirrorFailed("sent " + size + " bytes, expected " + d.size() + " (discarded)");
        }
        String sha = Sha256.hex(digest);
        if (d.sha256() != null && !d.sha256().equals(sha)) {
            Files.delete(part);
            if (have > 0) {
                // The kept prefix may be from another file (an older upstream version): try once from scratch.
                return attempt(d, url, part, done);
            }
            throw new MirrorFailed("hash mismatch: got sha256 " + sha + ", expected " + d.sha256() + " (discarded)");
        }
        return complete(part, done, sha, size, url);
    }

    private static Downloaded complete(Path part, Path done, String sha, long size, URI url) throws IOException {
        Files.move(part, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Downloaded(done, sha, size, url);
    }

    private HttpResponse<InputStream> send(URI url, long from) throws MirrorFailed, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(url)
                .timeout(HEADERS_TIMEOUT)
                .header("User-Agent", "deep-live-face-engine")
                .GET();
        if (from > 0) {
            req.header("Range", "bytes=" + from + "-");
        }
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new MirrorFailed(describe(e));
        }
    }

    private static long rangeStart(HttpResponse<?> r) {
        Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void requireSpace(Download d, Path dir, long have) throws IOException, DiskFull {
        if (d.size() == null) {
            return;
        }
        long needed = d.size() - have;
        long free = space.usableBytes(dir);
        if (free < needed) {
            throw new DiskFull("needs " + Bytes.human(needed) + " more but only " + Bytes.human(free)
                    + " is free in " + dir);
        }
    }

    /** Streams the body into the part file; read failures blame the mirror, write failures our disk. */
    private long copy(InputStream body, Path part, boolean append, MessageDigest digest, String label, long total,
            long initial, long limit) throws IOException, MirrorFailed, DiskFull {
        long written = 0;
        boolean limitExceeded = false;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = body;
                OutputStream out = sink.open(part, append);
                Progress.Bar bar = progress.start(label, total, initial)) {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    throw new MirrorFailed("the connection broke after " + (initial + written) + " bytes ("
                            + describe(e) + "; kept for resume)");
                }
                if (n < 0) {
                    break;
                }
                if (written + n > limit) {
                    // More than the manifest's size: a wrong file (or a hostile server) must not fill the disk.
                    n = (int) (limit - written + 1);
                    limitExceeded = true;
                }
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    if (FileSink.isDiskFull(e)) {
                        throw new DiskFull("the disk filled up while writing " + part + " (No space left on device)");
                    }
                    throw e;
                }
                digest.update(buf, 0, n);
                written += n;
                bar.step(n);
                if (limitExceeded) {
                    break;
                }
            }
        } catch (IOException e) {
            // Closing (flushing) the part file can also find the disk full.
            if (FileSink.isDiskFull(e)) {
                throw new DiskFull("the disk filled up while writing " + part + " (No space left on device)");
            }
            throw e;
        }
        return written;
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "cannot connect (offline?)";
        }
        if (e instanceof java.net.UnknownHostException || e.getCause() instanceof java.net.UnknownHostException) {
            return "unknown host (offline?)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m;
    }

    /** This mirror did not deliver; the next one may. */
    private static final class MirrorFailed extends Exception {
        MirrorFailed(String message) {
            super(message);
        }
    }

    /** The disk is (or would be) full: stop, whatever the mirrors could do. */
    private static final class DiskFull extends Exception {
        DiskFull(String message) {
            super(message);
        }
    }
}
