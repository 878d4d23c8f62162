package app.deeplive.engine.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests as the lower-case hex strings the manifest and lock file hold. */
public final class Sha256 {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {}

    public static boolean isValidHex(String s) {
        return s != null && HEX64.matcher(s).matches();
    }

    /** A fresh digest; every JVM has SHA-256, so its absence is a broken runtime. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String of(byte[] bytes) {
        MessageDigest d = newDigest();
        d.update(bytes);
        return hex(d);
    }

    public static String of(Path file) throws IOException {
        MessageDigest d = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            update(d, in);
        }
        return hex(d);
    }

    /** Feeds everything {@code in} has left into {@code d}. */
    static void update(MessageDigest d, InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
        }
    }
}
