package org.vellum.codec.openjpeg;

import java.nio.file.Path;

/**
 * A JPEG 2000 file's full-resolution size, read in Java from its boxes and SIZ marker with the same checks a decoder
 * makes before OpenJPEG sees the file ({@link FileCheck}): a few small reads, no native call, no decoder. For what
 * needs only the size of many files (a book's manifest lists every page's).
 */
public record Jp2Size(int width, int height) {

    /** The file's size as OpenJPEG's header gives it (x1 - x0, y1 - y0). */
    public static Jp2Size read(Path file) throws OpenJpegException {
        FileCheck check = FileCheck.check(file);
        return new Jp2Size(check.width, check.height);
    }
}
