package org.vellum.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.HealthCheck;
import org.vellum.codec.openjpeg.OpenJpeg;

/**
 * Whether this server can serve: libopenjp2 is loaded (at its required version), the image folder can be listed, and
 * every adapter that offers a {@link HealthCheck} says its backend answers. Each probe checks afresh; the built-in
 * checks cost a few microseconds, an adapter's what its own check costs (a pooled connection and a trivial query).
 */
public final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    /** One part checked; {@code reason} is null when it is up. */
    public record Part(String name, boolean up, String reason) {
    }

    /** Every part checked, in order; ready when all are up. */
    public record Report(List<Part> parts) {
        public Report {
            parts = List.copyOf(parts);
        }

        public boolean ready() {
            return parts.stream().allMatch(Part::up);
        }

        /** {@code {"status":"up"|"down","checks":{"openjpeg":{"status":"up"},…}}}, with the reason of each part down. */
        public String json() {
            StringBuilder b = new StringBuilder("{\"status\":\"").append(ready() ? "up" : "down").append("\",\"checks\":{");
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                if (i > 0) b.append(',');
                b.append(Json.string(p.name())).append(":{\"status\":\"").append(p.up() ? "up" : "down").append('"');
                if (p.reason() != null) b.append(",\"reason\":").append(Json.string(p.reason()));
                b.append('}');
            }
            return b.append("}}\n").toString();
        }
    }

    private final Path imageRoot;
    private final Supplier<? extends Collection<HealthCheck>> adapters;

    /** @param adapters the adapters' checks as they are now (in OSGi they come and go) */
    public Readiness(Path imageRoot, Supplier<? extends Collection<HealthCheck>> adapters) {
        this.imageRoot = imageRoot;
        this.adapters = adapters;
    }

    public Report check() {
        List<Part> parts = new ArrayList<>();
        parts.add(openJpeg());
        parts.add(imageFolder());
        for (HealthCheck c : adapters.get()) parts.add(adapter(c));
        return new Report(parts);
    }

    private static Part openJpeg() {
        try {
            OpenJpeg.version();
            return new Part("openjpeg", true, null);
        } catch (LinkageError e) {
            return new Part("openjpeg", false, "libopenjp2 2.5 or later is not loaded");
        }
    }

    /** Listed, not only stat'ed: a folder on a lost network mount can still be a directory but not be read. */
    private Part imageFolder() {
        if (!Files.isDirectory(imageRoot)) return new Part("image-folder", false, "FILESYSTEM_PREFIX is not a folder");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(imageRoot)) {
            entries.iterator().hasNext();
            return new Part("image-folder", true, null);
        } catch (IOException | SecurityException e) {
            return new Part("image-folder", false, "FILESYSTEM_PREFIX cannot be read");
        }
    }

    private static Part adapter(HealthCheck c) {
        String name;
        try {
            name = c.name();
        } catch (RuntimeException e) {
            name = c.getClass().getSimpleName();
        }
        try {
            c.check();
            return new Part(name, true, null);
        } catch (Exception | LinkageError e) {
            LOG.warn("Not ready: {} does not answer: {}", name, e.toString());
            return new Part(name, false, e.getClass().getSimpleName());
        }
    }
}
