package app.deeplive.engine.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret a client proves it may drive the engine with: 32 random bytes as 64 hex characters. Compared in
 * constant time over SHA-256 digests, so neither the content nor the length of a guess leaks through timing.
 */
public final class AuthToken {
    private final String value;
    private final byte[] digest;

    private AuthToken(String value) {
        this.value = value;
        this.digest = sha256(value);
    }

    public static AuthToken random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new AuthToken(HexFormat.of().formatHex(bytes));
    }

    /** A known token (tests, or a token file written earlier). */
    public static AuthToken of(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty token");
        }
        return new AuthToken(value);
    }

    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
    }

    /** The secret itself, for writing the token file; never log it. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "AuthToken[hidden]";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
