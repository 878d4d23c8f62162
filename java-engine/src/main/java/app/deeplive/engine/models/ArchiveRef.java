package app.deeplive.engine.models;

/** Where inside a downloadable archive a model file lives. */
public record ArchiveRef(String archiveName, String member) {}
