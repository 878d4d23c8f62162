package app.deeplive.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * The user's home as the OBS filter sees it: {@code $HOME} when it is an absolute path, else Java's
 * {@code user.home} (which comes from the password database). The filter (C, {@code getenv("HOME")}) and the engine
 * must agree on the default token file and model directory, also when a user runs both with another HOME.
 */
public final class UserHome {
    private UserHome() {}

    /** The home for the environment given ({@link System#getenv()} in production). */
    public static Path of(Map<String, String> env) {
        String home = env.get("HOME");
        if (home != null && !home.isBlank() && Path.of(home).isAbsolute()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"));
    }
}
