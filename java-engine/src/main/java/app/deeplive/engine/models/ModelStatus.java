package app.deeplive.engine.models;

import java.nio.file.Path;

/**
 * A model's state in one model directory.
 *
 * @param actualSha256   the file's hash when it is known (hashed now or recorded unchanged), else null
 * @param expectedSha256 the manifest's hash or the pinned one, else null
 */
public record ModelStatus(ModelEntry model, Path path, ModelState state, String actualSha256, String expectedSha256) {}
