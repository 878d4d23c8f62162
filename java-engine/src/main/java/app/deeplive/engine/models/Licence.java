package app.deeplive.engine.models;

/**
 * The terms a model's weights come under.
 *
 * @param shortName a few words for tables ("non-commercial", "Apache-2.0*")
 * @param text      the terms in one sentence
 * @param url       where the terms are published, or null
 * @param forbids   why the terms forbid this product's use of the model, or null when they allow it; the engine
 *                  neither fetches nor loads a model whose licence forbids its use
 */
public record Licence(String shortName, String text, String url, String forbids) {
    /** Whether the engine may fetch and run the model. */
    public boolean permitsUse() {
        return forbids == null;
    }
}
