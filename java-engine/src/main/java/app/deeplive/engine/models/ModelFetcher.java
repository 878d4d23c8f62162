package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserFacingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code models fetch}: gets each requested model into the model directory, verified. Downloads and extractions
 * happen in {@code <models>/.downloads/}; only a verified file is renamed into place. A model inside an archive is
 * taken from the archive (fetched once, all its missing members extracted), else from the model's own mirrors.
 */
public final class ModelFetcher {
    public static final String DOWNLOADS_DIR = ".downloads";

    private final ModelManifest manifest;
    private final Path modelDir;
    private final Path work;
    private final Downloader downloader;
    private final ZipMember zip;
    private final DiskSpace space;
    private final Clock clock;
    private final PrintWriter out;
    private final PrintWriter err;

    public ModelFetcher(ModelManifest manifest, Path modelDir, Downloader downloader, ZipMember zip, DiskSpace space,
            Clock clock, PrintWriter out, PrintWriter err) {
        this.manifest = manifest;
        this.modelDir = modelDir;
        this.work = modelDir.resolve(DOWNLOADS_DIR);
        this.downloader = downloader;
        this.zip = zip;
        this.space = space;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    /**
     * Fetches every model it can; each failure is one line. All but the last are printed to {@code err}
     * as they happen, the last is thrown, so the exit code is non-zero when any failed.
     */
    public void fetch(List<ModelEntry> wanted) throws InterruptedException {
        LockFile lock = LockFile.load(modelDir);
        UserFacingException last = null;
        for (ModelEntry m : wanted) {
            try {
                Files.createDirectories(modelDir);
                fetchOne(m, lock, new ModelInventory(modelDir, lock));
            } catch (UserFacingException e) {
                if (last != null) {
                    err.println("error: " + last.getMessage());
                }
                last = e;
            } catch (IOException e) {
                UserFacingException u = new UserFacingException("cannot fetch " + m.name() + ": " + e + "; "
                        + byHand(m, new ModelInventory(modelDir, lock)), e);
                if (last != null) {
                    err.println("error: " + last.getMessage());
                }
                last = u;
            } finally {
                save(lock);
            }
            out.flush();
        }
        if (last != null) {
            throw last;
        }
    }

    private void fetchOne(ModelEntry m, LockFile lock, ModelInventory inv) throws IOException, InterruptedException {
        if (m.refusal() != null) {
            throw new UserFacingException(m.refusal() + "; nothing was downloaded");
        }
        if (inv.recorded(m).state() == ModelState.VERIFIED) {
            out.println(m.name() + ": already verified at " + inv.pathOf(m) + " (unchanged since)");
            return;
        }
        ModelStatus now = inv.verify(m);
        switch (now.state()) {
            case VERIFIED -> {
                out.println(m.name() + ": already verified at " + now.path());
                return;
            }
            case UNPINNED -> {
                pin(lock, m.file(), now.actualSha256(), Files.size(now.path()), "found at " + now.path());
                out.println(m.name() + ": " + now.path() + " has no published sha256; pinned " + now.actualSha256()
                        + " in " + lock.path().getFileName() + " (trust on first use)");
                return;
            }
            case HASH_MISMATCH -> out.println(m.name() + ": " + now.path() + " has sha256 " + now.actualSha256()
                    + ", expected " + now.expectedSha256() + "; fetching a fresh copy");
            default -> { }
        }

        List<String> attempts = new ArrayList<>();
        Path partial = null;
        if (m.archive() != null) {
            try {
                fromArchive(m, lock, inv);
                return;
            } catch (DownloadFailure f) {
                if (f.diskFull()) {
                    throw diskFull(m, f.getMessage(), f.partial(), inv);
                }
                attempts.addAll(f.attempts());
                partial = f.partial();
            } catch (ZipMember.BadMember b) {
                attempts.add(b.getMessage());
            }
        }
        if (!m.urls().isEmpty()) {
            try {
                announce(m.name() + ": downloading " + m.file(), m.size());
                Downloaded d = downloader.fetch(m.directDownload().withSha256(inv.expectedSha256(m)), work);
                place(m, d, lock);
                return;
            } catch (DownloadFailure f) {
                if (f.diskFull()) {
                    throw diskFull(m, f.getMessage(), f.partial(), inv);
                }
                attempts.addAll(f.attempts());
                partial = f.partial() != null ? f.partial() : partial;
            }
        }
        throw new UserFacingException("cannot fetch " + m.name() + ": " + String.join("; ", attempts) + ". "
                + byHand(m, inv) + (partial != null ? " (the partial download " + partial
                + " resumes on the next `" + EngineCommand.line("models fetch " + m.name()) + "`)" : ""));
    }

    /** Fetches the archive once and extracts the requested member plus any missing or damaged siblings. */
    private void fromArchive(ModelEntry m, LockFile lock, ModelInventory inv)
            throws IOException, InterruptedException, DownloadFailure, ZipMember.BadMember {
        Archive a = manifest.archive(m.archive().archiveName());
        String expected = a.sha256() != null ? a.sha256() : lock.pin(a.file()).map(LockFile.Pin::sha256).orElse(null);
        announce(m.name() + ": downloading " + a.file() + " (holds " + m.archive().member() + ")", a.size());
        Downloaded archive = downloader.fetch(a.download().withSha256(expected), work);
        if (expected == null) {
            pin(lock, a.file(), archive.sha256(), archive.size(), archive.source().toString());
            out.println(a.file() + ": no published sha256; pinned " + archive.sha256() + " (trust on first use)");
        }

        List<ModelEntry> todo = new ArrayList<>();
        long bytes = 0;
        for (ModelEntry member : manifest.membersOf(a.name())) {
            ModelState s = member == m ? ModelState.MISSING : inv.verify(member).state();
            if (s == ModelState.MISSING || s == ModelState.HASH_MISMATCH) {
                todo.add(member);
                bytes += member.size() != null ? member.size() : 0;
            }
        }
        long free = space.usableBytes(work);
        if (free < bytes) {
            throw new DownloadFailure("extracting from " + a.file() + " needs " + Bytes.human(bytes) + " but only "
                    + Bytes.human(free) + " is free in " + work, List.of(), archive.file(), true);
        }
        for (ModelEntry member : todo) {
            Path tmp = work.resolve(member.file() + ".extract");
            try {
                Downloaded x = zip.extract(archive.file(), member.archive().member(), tmp, member.size(),
                        inv.expectedSha256(member));
                place(member, x, lock);
            } catch (ZipMember.BadMember b) {
                if (member == m) {
                    throw b;
                }
                err.println("warning: " + b.getMessage() + "; " + member.name() + " not extracted");
            } catch (IOException e) {
                if (FileSink.isDiskFull(e)) {
                    throw new DownloadFailure("the disk filled up while extracting " + member.file() + " to " + work,
                            List.of(), archive.file(), true);
                }
                throw e;
            }
        }
        // Every member it holds is now in place (or reported): the archive is dead weight.
        Files.deleteIfExists(archive.file());
    }

    private void announce(String what, Long size) {
        out.println(what + (size != null ? " (" + Bytes.human(size) + ")" : ""));
        out.flush();
    }

    private void place(ModelEntry m, Downloaded d, LockFile lock) throws IOException {
        Path target = modelDir.resolve(m.file());
        AtomicPlacement.place(d.file(), target);
        if (m.sha256() == null && lock.pin(m.file()).isEmpty()) {
            pin(lock, m.file(), d.sha256(), d.size(), d.source().toString());
            out.println(m.name() + ": no published sha256; pinned " + d.sha256() + " in " + lock.path().getFileName()
                    + " (trust on first use: later checks compare against it)");
        }
        lock.recordCheck(m.file(), new LockFile.Check(d.sha256(), d.size(), Files.getLastModifiedTime(target).toMillis()));
        save(lock);
        out.println(m.name() + ": verified and saved to " + target);
    }

    private void pin(LockFile lock, String file, String sha, long size, String source) {
        lock.pin(file, new LockFile.Pin(sha, size, clock.instant(), source));
    }

    private UserFacingException diskFull(ModelEntry m, String detail, Path partial, ModelInventory inv) {
        return new UserFacingException("not enough disk space to fetch " + m.name() + ": " + detail
                + "; free some space and run `" + EngineCommand.line("models fetch " + m.name()) + "` again"
                + (partial != null ? " (it resumes " + partial + ")" : "") + ", or " + byHand(m, inv));
    }

    /** Where a user can put the file themselves, and how it will be checked. */
    private String byHand(ModelEntry m, ModelInventory inv) {
        StringBuilder s = new StringBuilder("To install it by hand, ");
        if (m.archive() != null) {
            Archive a = manifest.archive(m.archive().archiveName());
            s.append("download ").append(a.urls().get(0)).append(" and extract ").append(m.archive().member())
                    .append(" from it");
            if (!m.urls().isEmpty()) {
                s.append(" (or download ").append(m.urls().get(0)).append(")");
            }
        } else {
            s.append("download ").append(m.urls().get(0));
        }
        String expected = inv.expectedSha256(m);
        s.append(" to ").append(inv.pathOf(m))
                .append(expected != null ? " (sha256 " + expected + ")" : " (no published sha256: it will be pinned)")
                .append(" and run `").append(EngineCommand.line("models verify " + m.name())).append('`');
        return s.toString();
    }

    private static void save(LockFile lock) {
        try {
            lock.save();
        } catch (IOException e) {
            throw new UserFacingException("cannot write " + lock.path() + ": " + e.getMessage()
                    + " (is the model directory writable and its disk not full?)", e);
        }
    }
}
