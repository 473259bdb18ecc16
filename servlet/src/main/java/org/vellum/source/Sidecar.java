package org.vellum.source;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.ImageObject;

/**
 * A folder's {@value #NAME}: what a book says about itself, in UTF-8 {@code key = value} lines ({@code #} starts a
 * comment). Keys: {@code title}, {@code summary}, {@code attribution}, {@code rights} (a Creative Commons or
 * RightsStatements.org URI), {@code direction}
 * ({@code left-to-right}, {@code right-to-left}, {@code top-to-bottom}, {@code bottom-to-top}), {@code paged}
 * ({@code true}), {@code label.<file name>} (a page's label) and {@code meta.<label>} (any further field, in file
 * order). docs/books.md describes it for deployers. Unknown keys and bad values are logged and skipped, never fatal.
 *
 * @param title      null: the folder's name
 * @param pageLabels page labels by file name
 */
record Sidecar(String title, ImageObject.Description description, Map<String, String> pageLabels) {
    static final String NAME = "manifest.properties";
    static final Sidecar NONE = new Sidecar(null, ImageObject.Description.NONE, Map.of());
    private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);
    private static final Set<String> DIRECTIONS = Set.of("left-to-right", "right-to-left", "top-to-bottom",
            "bottom-to-top");

    /**
     * A Creative Commons or RightsStatements.org URI in the http form those vocabularies define (and IIIF's validator
     * requires), whether it was written with http or https; null for anything else.
     */
    static String rights(String value) {
        String v = value.startsWith("https://") ? "http://" + value.substring(8) : value;
        for (String prefix : List.of("http://creativecommons.org/licenses/", "http://creativecommons.org/publicdomain/",
                "http://rightsstatements.org/vocab/")) {
            if (v.startsWith(prefix) && v.length() > prefix.length() && v.chars().noneMatch(c -> c <= ' ')) return v;
        }
        return null;
    }

    static Sidecar read(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            LOG.warn("{} is not UTF-8; ignored", file);
            return NONE;
        } catch (IOException e) {
            LOG.warn("{} cannot be read ({}); ignored", file, e.toString());
            return NONE;
        }
        return parse(text, file.toString());
    }

    static Sidecar parse(String text, String where) {
        String title = null;
        String summary = null;
        String attribution = null;
        String rights = null;
        String direction = null;
        boolean paged = false;
        List<ImageObject.Field> metadata = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        int lineNumber = 0;
        for (String raw : text.split("\r?\n|\r")) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) {
                LOG.warn("{}:{}: not a 'key = value' line; ignored", where, lineNumber);
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.isEmpty()) continue;
            switch (key.toLowerCase(Locale.ROOT)) {
                case "title" -> title = value;
                case "summary" -> summary = value;
                case "attribution" -> attribution = value;
                case "rights" -> {
                    rights = rights(value);
                    if (rights == null) {
                        LOG.warn("{}:{}: rights is a Creative Commons or RightsStatements.org URI (other text goes "
                                + "in attribution); ignored", where, lineNumber);
                    }
                }
                case "direction" -> {
                    if (DIRECTIONS.contains(value.toLowerCase(Locale.ROOT))) direction = value.toLowerCase(Locale.ROOT);
                    else LOG.warn("{}:{}: direction is one of {}; ignored", where, lineNumber, DIRECTIONS);
                }
                case "paged" -> paged = Boolean.parseBoolean(value);
                default -> {
                    if (key.startsWith("label.") && key.length() > 6) {
                        labels.put(key.substring(6), value);
                    } else if (key.startsWith("meta.") && key.length() > 5) {
                        metadata.add(new ImageObject.Field(key.substring(5), value));
                    } else {
                        LOG.warn("{}:{}: unknown key {}; ignored", where, lineNumber, key);
                    }
                }
            }
        }
        return new Sidecar(title, new ImageObject.Description(summary, attribution, rights, direction, paged, metadata),
                Map.copyOf(labels));
    }
}
