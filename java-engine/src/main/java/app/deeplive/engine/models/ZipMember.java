package app.deeplive.engine.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Copies one member out of a zip archive into a file of our choosing, hashing it on the way. The entry's own
 * path is only compared, never used as a path, so a hostile archive cannot write elsewhere.
 */
public final class ZipMember {
    private final FileSink sink;
    private final Progress progress;

    public ZipMember(FileSink sink, Progress progress) {
        this.sink = sink;
        this.progress = progress;
    }

    /** The member is not in the archive, or is not the file the manifest describes. */
    public static final class BadMember extends Exception {
        BadMember(String message) {
            super(message);
        }
    }

    /**
     * Extracts {@code member} (matched by its full name or its last path segment) to {@code out}. When
     * {@code size}/{@code sha256} are given a mismatch deletes {@code out} and throws {@link BadMember}.
     */
    public Downloaded extract(Path zip, String member, Path out, Long size, String sha256)
            throws IOException, BadMember {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            ZipEntry entry = find(zf, member);
            if (entry == null) {
                throw new BadMember(zip.getFileName() + " has no member " + member);
            }
            MessageDigest digest = Sha256.newDigest();
            long written = 0;
            boolean tooBig = false;
            byte[] buf = new byte[1 << 16];
            try (InputStream in = zf.getInputStream(entry);
                    OutputStream os = sink.open(out, false);
                    Progress.Bar bar = progress.start(member, size != null ? size : entry.getSize(), 0)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    os.write(buf, 0, n);
                    digest.update(buf, 0, n);
                    written += n;
                    bar.step(n);
                    if (size != null && written > size) {
                        tooBig = true; // Stop early: a wrong (or hostile) member must not fill the disk.
                        break;
                    }
                }
            } catch (IOException e) {
                Files.deleteIfExists(out);
                throw e;
            }
            String sha = Sha256.hex(digest);
            if (tooBig || (size != null && written != size)) {
                Files.deleteIfExists(out);
                throw new BadMember(member + " in " + zip.getFileName() + " is " + (tooBig ? "larger than " : written
                        + " bytes, not ") + size + " bytes");
            }
            if (sha256 != null && !sha256.equals(sha)) {
                Files.deleteIfExists(out);
                throw new BadMember(member + " in " + zip.getFileName() + " has sha256 " + sha + ", expected " + sha256);
            }
            return new Downloaded(out, sha, written, zip.toUri());
        }
    }

    private static ZipEntry find(ZipFile zf, String member) {
        ZipEntry exact = zf.getEntry(member);
        if (exact != null && !exact.isDirectory()) {
            return exact;
        }
        for (Enumeration<? extends ZipEntry> e = zf.entries(); e.hasMoreElements(); ) {
            ZipEntry z = e.nextElement();
            if (!z.isDirectory() && z.getName().endsWith("/" + member)) {
                return z;
            }
        }
        return null;
    }
}
