package app.deeplive.engine.session;

import app.deeplive.engine.models.FetchState;
import java.util.List;
import java.util.Optional;

/**
 * Optional models (enhancers, the mouth mask's landmarks) that the engine fetches and loads while it serves, the
 * first time a session's options ask for one that is not loaded.
 */
public interface ModelsOnDemand {
    /** Nothing is fetched: a missing model stays missing (tests, pipelines without a manifest behind them). */
    ModelsOnDemand NONE = new ModelsOnDemand() {
        @Override
        public void request(String modelName) {}

        @Override
        public Optional<FetchState> state(String modelName) {
            return Optional.empty();
        }

        @Override
        public Optional<String> refusal(String modelName) {
            return Optional.empty();
        }
    };

    /** The swap models the manifest behind these fetches lists (refused ones too); none by default. */
    default List<String> swapModels() {
        return List.of();
    }

    /**
     * Starts fetching and then loading the manifest's {@code modelName} in the background, unless that is running
     * already or the model cannot be fetched (not in the manifest, or the user gave a file of their own). Never
     * blocks; a failed fetch is tried again only by another call.
     */
    void request(String modelName);

    /** How the fetch of {@code modelName} stands: empty when none is running or has failed. */
    Optional<FetchState> state(String modelName);

    /** Why {@code modelName} is never fetched nor used (its licence forbids it), or empty. */
    Optional<String> refusal(String modelName);
}
