package app.deeplive.engine.models;

import app.deeplive.engine.enhance.EnhancerKind;
import java.net.URI;
import java.util.List;

/**
 * One production model as the manifest describes it.
 *
 * @param file       the file name inside the model directory
 * @param size       bytes, or null when unknown
 * @param sha256     lower-case hex, or null when no trustworthy hash is published (then the lock file pins one)
 * @param hashSource where the hash comes from, for people auditing the manifest
 * @param archive    the archive that holds the file, or null when it is downloaded on its own
 * @param urls       direct download mirrors in order (tried after the archive, if any)
 * @param inputSize  the square input the model expects (swapper, enhancers), or null
 */
public record ModelEntry(
        String name,
        String file,
        Stage stage,
        String description,
        Long size,
        String sha256,
        String hashSource,
        ArchiveRef archive,
        List<URI> urls,
        Integer inputSize,
        Licence licence) {

    public ModelEntry {
        urls = List.copyOf(urls);
    }

    /**
     * The option that loads the user's own file instead of this one, as {@code serve} and {@code swap} spell it, for
     * hints: {@code --swapper FILE}, {@code --enhancer-model gfpgan=FILE}…
     */
    public String fileOption() {
        return switch (stage) {
            case DETECT -> "--detector FILE";
            case RECOGNIZE -> "--recognizer FILE";
            case LANDMARKS -> "--landmarks FILE";
            case SWAP -> "--swapper FILE";
            case OCCLUDE -> "--occluder FILE";
            case ENHANCE -> "--enhancer-model " + EnhancerKind.ofModel(name).map(EnhancerKind::cliName).orElse("KIND")
                    + "=FILE";
        };
    }

    /**
     * The one-line refusal when the model's licence forbids this product's use of it, else null.
     */
    public String refusal() {
        if (licence.permitsUse()) {
            return null;
        }
        return name + " is refused: " + refusalReason() + "; a model you hold the rights to goes in with "
                + fileOption();
    }

    /** Why the licence forbids its use ("its licence (…) forbids this use: …"), or null when it does not. */
    public String refusalReason() {
        if (licence.permitsUse()) {
            return null;
        }
        return "its licence (" + licence.shortName() + (licence.url() == null ? "" : ", " + licence.url())
                + ") forbids this use: " + licence.forbids();
    }

    /** The file fetched directly from the model's own mirrors. */
    public Download directDownload() {
        return new Download(name, file, urls, size, sha256);
    }
}
