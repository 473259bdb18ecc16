package org.vellum.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The image a viewer page opens when the request names none; shared by bin/vellum's launchers, the WAR and the bundle. */
public final class DefaultImage {
    private DefaultImage() {
    }

    /**
     * The first JPEG 2000 file (.jp2, .j2k, .jpx, .j2c, .jpf, any case) in path order under {@code root}, at most
     * {@code depth} folders down (1: root's own files only), relative to root; "" when there is none.
     */
    public static String first(Path root, int depth) throws IOException {
        try (Stream<Path> files = Files.walk(root, depth)) {
            return files.filter(p -> p.getFileName().toString().matches("(?i).*\\.(jp2|j2k|jpx|j2c|jpf)$"))
                    .filter(Files::isRegularFile).sorted().map(p -> root.relativize(p).toString()).findFirst()
                    .orElse("");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
