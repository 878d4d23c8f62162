package app.deeplive.engine.cli;

import app.deeplive.engine.enhance.EnhancerKind;
import java.nio.file.Path;

/**
 * The value of {@code --enhancer-model}: {@code KIND=FILE} (serve and swap; the form hints print), or a bare
 * {@code FILE} (swap, where {@code --enhancer KIND} says which enhancer it is).
 *
 * @param kind null when the value names no enhancer
 */
record EnhancerModelArg(EnhancerKind kind, Path file) {
    static EnhancerModelArg parse(String value) {
        int eq = value.indexOf('=');
        if (eq > 0) {
            try {
                return new EnhancerModelArg(EnhancerKind.parse(value.substring(0, eq)), Path.of(value.substring(eq + 1)));
            } catch (IllegalArgumentException notAKind) {
                // A file whose name holds '=': the whole value is the file.
            }
        }
        return new EnhancerModelArg(null, Path.of(value));
    }
}
