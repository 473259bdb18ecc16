package org.vellum.pool;

import java.nio.file.Path;

/**
 * Decoders of one file with a fixed number of quality layers (OpenJPEG fixes cp_layer when the codec is set up), and,
 * for a single-tile file, one reduce factor: OpenJPEG 2.5 reuses a single-tile codec only at the reduce it was set up
 * with, and setting one up again re-reads the whole codestream (measured: 0.5 s on a 92 MB file), so decoders of
 * such files are kept per level. {@link #ANY_REDUCE} for tiled files, whose decoders serve every level.
 */
public record DecoderKey(Path path, int layers, int reduce) {
    public static final int ANY_REDUCE = -1;

    public DecoderKey(Path path, int layers) {
        this(path, layers, ANY_REDUCE);
    }
}
