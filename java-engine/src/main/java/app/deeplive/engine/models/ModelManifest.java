package app.deeplive.engine.models;

import app.deeplive.engine.UserFacingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The production models and where to get them, read from {@code models/manifest.json} (the jar carries a copy).
 * Parsing validates everything a download relies on; unknown fields are allowed so the format can grow.
 */
public final class ModelManifest {
    /** A plain file name: it becomes a path inside the model directory, so no separators and no "..". */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    static final String BUNDLED_RESOURCE = "/app/deeplive/engine/models/manifest.json";

    private final Map<String, ModelEntry> models;
    private final Map<String, Archive> archives;

    private ModelManifest(Map<String, ModelEntry> models, Map<String, Archive> archives) {
        this.models = models;
        this.archives = archives;
    }

    /** The manifest built into the engine jar. */
    public static ModelManifest bundled() {
        try (InputStream in = ModelManifest.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the engine jar lacks " + BUNDLED_RESOURCE + "; rebuild it with mvn package");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled manifest.json");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled model manifest", e);
        }
    }

    public static ModelManifest load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UserFacingException("cannot read model manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses and validates; {@code source} names the text in error messages. */
    public static ModelManifest parse(String json, String source) {
        JsonNode root;
        try {
            ObjectMapper mapper = new ObjectMapper();
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UserFacingException("model manifest " + source + " is not valid JSON: "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")", e);
        }
        return new Reader(source).read(root);
    }

    public List<ModelEntry> models() {
        return List.copyOf(models.values());
    }

    public Optional<ModelEntry> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** The model, or a one-line error listing the names there are. */
    public ModelEntry require(String name) {
        ModelEntry e = models.get(name);
        if (e == null) {
            throw new UserFacingException("unknown model '" + name + "'; known models: " + String.join(", ", models.keySet()));
        }
        return e;
    }

    public Archive archive(String name) {
        return archives.get(name);
    }

    /** The names of the models of one stage, in manifest order (refused ones too). */
    public List<String> namesOf(Stage stage) {
        return models.values().stream().filter(m -> m.stage() == stage).map(ModelEntry::name).toList();
    }

    /** The models the given archive holds, in manifest order. */
    public List<ModelEntry> membersOf(String archiveName) {
        return models.values().stream()
                .filter(m -> m.archive() != null && m.archive().archiveName().equals(archiveName))
                .toList();
    }

    /** Walks the JSON tree, naming the exact place of the first problem. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        ModelManifest read(JsonNode root) {
            if (!root.isObject()) {
                throw fail("top level", "must be a JSON object");
            }
            JsonNode version = root.get("version");
            if (version == null || !version.isInt() || version.intValue() != 1) {
                throw fail("top level", "\"version\" must be 1");
            }
            Map<String, Archive> archives = new LinkedHashMap<>();
            JsonNode archiveList = root.path("archives");
            if (!archiveList.isMissingNode()) {
                for (JsonNode node : array(archiveList, "archives", "top level")) {
                    Archive a = archive(node, "archives[" + archives.size() + "]");
                    if (archives.putIfAbsent(a.name(), a) != null) {
                        throw fail("archives", "duplicate archive name \"" + a.name() + "\"");
                    }
                }
            }
            Map<String, ModelEntry> models = new LinkedHashMap<>();
            Map<String, String> files = new LinkedHashMap<>();
            int i = 0;
            for (JsonNode node : array(root.get("models"), "models", "top level")) {
                ModelEntry m = model(node, "models[" + i++ + "]", archives);
                if (models.putIfAbsent(m.name(), m) != null) {
                    throw fail("models", "duplicate model name \"" + m.name() + "\"");
                }
                String other = files.putIfAbsent(m.file(), m.name());
                if (other != null) {
                    throw fail("models", "models \"" + other + "\" and \"" + m.name() + "\" share file " + m.file());
                }
            }
            return new ModelManifest(models, archives);
        }

        private Archive archive(JsonNode node, String where) {
            object(node, where);
            String name = text(node, "name", where);
            where = where + " (\"" + name + "\")";
            List<URI> urls = urls(node, where, true);
            return new Archive(name, fileName(node, where), urls, size(node, where), sha(node, where),
                    optionalText(node, "hash_source", where));
        }

        private ModelEntry model(JsonNode node, String where, Map<String, Archive> archives) {
            object(node, where);
            String name = text(node, "name", where);
            where = where + " (\"" + name + "\")";
            String file = fileName(node, where);
            String stageId = text(node, "stage", where);
            String stageWhere = where;
            Stage stage = Stage.fromId(stageId).orElseThrow(() -> fail(stageWhere,
                    "unknown stage \"" + stageId + "\" (detect, recognize, landmarks, swap, enhance or occlude)"));
            ArchiveRef ref = null;
            JsonNode a = node.get("archive");
            if (a != null && !a.isNull()) {
                object(a, where + ".archive");
                String archiveName = text(a, "name", where + ".archive");
                if (!archives.containsKey(archiveName)) {
                    throw fail(where, "archive \"" + archiveName + "\" is not listed under \"archives\"");
                }
                ref = new ArchiveRef(archiveName, text(a, "member", where + ".archive"));
            }
            List<URI> urls = urls(node, where, ref == null);
            JsonNode inputSize = node.get("input_size");
            if (inputSize != null && !inputSize.isNull() && (!inputSize.canConvertToInt() || inputSize.intValue() <= 0)) {
                throw fail(where, "\"input_size\" must be a positive integer");
            }
            JsonNode lic = node.get("licence");
            object(lic, where + ".licence");
            Licence licence = new Licence(text(lic, "short", where + ".licence"), text(lic, "text", where + ".licence"),
                    optionalText(lic, "url", where + ".licence"), optionalText(lic, "forbids", where + ".licence"));
            return new ModelEntry(name, file, stage, optionalText(node, "description", where), size(node, where),
                    sha(node, where), optionalText(node, "hash_source", where), ref, urls,
                    inputSize == null || inputSize.isNull() ? null : inputSize.intValue(), licence);
        }

        private List<URI> urls(JsonNode node, String where, boolean required) {
            JsonNode list = node.get("urls");
            if (list == null || list.isNull()) {
                if (required) {
                    throw fail(where, "missing required field \"urls\" (no archive to take the file from either)");
                }
                return List.of();
            }
            List<URI> urls = new ArrayList<>();
            for (JsonNode u : array(list, "urls", where)) {
                if (!u.isTextual()) {
                    throw fail(where, "\"urls\" must hold strings");
                }
                URI uri;
                try {
                    uri = URI.create(u.textValue());
                } catch (IllegalArgumentException e) {
                    throw fail(where, "bad URL \"" + u.textValue() + "\"");
                }
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw fail(where, "URL \"" + u.textValue() + "\" must be http(s) with a host");
                }
                urls.add(uri);
            }
            if (required && urls.isEmpty()) {
                throw fail(where, "\"urls\" is empty");
            }
            return urls;
        }

        private String fileName(JsonNode node, String where) {
            String f = text(node, "file", where);
            if (!FILE_NAME.matcher(f).matches() || f.contains("..")) {
                throw fail(where, "\"file\" must be a plain file name, not \"" + f + "\"");
            }
            return f;
        }

        private Long size(JsonNode node, String where) {
            JsonNode s = node.get("size");
            if (s == null || s.isNull()) {
                return null;
            }
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.longValue() <= 0) {
                throw fail(where, "\"size\" must be a positive number of bytes or null");
            }
            return s.longValue();
        }

        private String sha(JsonNode node, String where) {
            JsonNode s = node.get("sha256");
            if (s == null || s.isNull()) {
                return null;
            }
            if (!s.isTextual() || !Sha256.isValidHex(s.textValue())) {
                throw fail(where, "\"sha256\" must be 64 lower-case hex digits or null, not " + s);
            }
            return s.textValue();
        }

        private String text(JsonNode node, String field, String where) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw fail(where, "missing required field \"" + field + "\"");
            }
            if (!v.isTextual() || v.textValue().isBlank()) {
                throw fail(where, "\"" + field + "\" must be a non-empty string");
            }
            return v.textValue();
        }

        private String optionalText(JsonNode node, String field, String where) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw fail(where, "\"" + field + "\" must be a string");
            }
            return v.textValue();
        }

        private void object(JsonNode node, String where) {
            if (node == null || !node.isObject()) {
                throw fail(where, node == null ? "missing required object" : "must be a JSON object");
            }
        }

        private Iterable<JsonNode> array(JsonNode node, String field, String where) {
            if (node == null || !node.isArray()) {
                throw fail(where, node == null ? "missing required field \"" + field + "\"" : "\"" + field + "\" must be an array");
            }
            return node;
        }

        private UserFacingException fail(String where, String problem) {
            return new UserFacingException("model manifest " + source + ": " + where + ": " + problem);
        }
    }
}
