package app.deeplive.engine.models;

import java.net.URI;
import java.nio.file.Path;

/** A complete download whose hash was computed while it streamed (and matched, when one was expected). */
public record Downloaded(Path file, String sha256, long size, URI source) {}
