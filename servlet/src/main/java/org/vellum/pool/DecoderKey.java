package org.vellum.pool;

import java.nio.file.Path;

/**
 * Decoders of one file with a fixed number of quality layers (OpenJPEG fixes cp_layer when the codec is set up), and,
 * for a single-tile file, one reduce factor: OpenJPEG 2.5 reuses a single-tile codec only at the reduce it was set up
 * with, and setting one up again re-reads the whole codestream (measured: 0.5 s on a 92 MB file), so decoders of
 * such files are kept per level. {@link #ANY_REDUCE} for tiled files, whose decoders serve every level.
 * <p>
 * A single-tile decoder may also be for one {@link Region} of the image only: it then reads just the packets that
 * region needs (see {@code Jp2Reader.open(Path, int, int, int[])}) and decodes nothing outside it. null: the whole
 * image.
 */
public record DecoderKey(Path path, int layers, int reduce, Region region) {
    public static final int ANY_REDUCE = -1;

    public DecoderKey(Path path, int layers) {
        this(path, layers, ANY_REDUCE, null);
    }

    public DecoderKey(Path path, int layers, int reduce) {
        this(path, layers, reduce, null);
    }

    /** A rectangle of the image in full-resolution pixels. */
    public record Region(int x, int y, int width, int height) {
        public Region {
            if (x < 0 || y < 0 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("region " + x + "," + y + "," + width + "x" + height);
            }
        }

        int[] toArray() {
            return new int[] {x, y, width, height};
        }
    }
}
