package org.vellum.pool;

import java.nio.file.Path;

/** One file decoded with a fixed number of quality layers (OpenJPEG fixes cp_layer when the codec is set up). */
public record DecoderKey(Path path, int layers) {
}
