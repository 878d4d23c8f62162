package app.deeplive.engine.control;

import app.deeplive.engine.models.BackgroundFetches;
import app.deeplive.engine.models.FetchState;
import app.deeplive.engine.models.ModelEntry;
import app.deeplive.engine.models.ModelManifest;
import app.deeplive.engine.models.Stage;
import app.deeplive.engine.session.ModelsOnDemand;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The serve's optional models that may be fetched while it runs: those of the manifest the user did not give a file
 * of their own for. Each is fetched in the background, then loaded into the engine's models by {@code install}.
 */
final class OnDemandModels implements ModelsOnDemand {
    private final ModelManifest manifest;
    private final Set<String> fetchable;
    private final BackgroundFetches fetches;
    private final BackgroundFetches.Install install;

    OnDemandModels(ModelManifest manifest, Set<String> fetchable, BackgroundFetches fetches,
            BackgroundFetches.Install install) {
        this.manifest = manifest;
        this.fetchable = Set.copyOf(fetchable);
        this.fetches = fetches;
        this.install = install;
    }

    @Override
    public void request(String modelName) {
        if (fetchable.contains(modelName)) {
            manifest.find(modelName).ifPresent(m -> fetches.start(m, install));
        }
    }

    @Override
    public Optional<FetchState> state(String modelName) {
        return fetchable.contains(modelName) ? fetches.state(modelName) : Optional.empty();
    }

    @Override
    public List<String> swapModels() {
        return manifest.namesOf(Stage.SWAP);
    }

    @Override
    public Optional<String> refusal(String modelName) {
        return manifest.find(modelName).map(ModelEntry::refusal);
    }
}
