package app.deeplive.engine.models;

/**
 * The terms a model's weights come under.
 *
 * @param shortName a few words for tables ("non-commercial", "Apache-2.0*")
 * @param text      the terms in one sentence
 * @param url       where the terms are published, or null
 */
public record Licence(String shortName, String text, String url) {}
