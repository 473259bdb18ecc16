package org.vellum.codec.openjpeg;

import java.nio.file.Path;
import java.time.Duration;

import org.vellum.pool.DecoderKey;
import org.vellum.pool.DecoderPool;

/**
 * The server's decode path on the benchmark image at one reduce factor: a decoder pool with its reader already open,
 * and up to 8 output tiles of 256x256 spread over the image's grid (stride 7 modulo the tile count, so they come from
 * different codestream tiles), handed out in turn so no single tile is favoured. Each position is {x, y, w, h} in
 * full-resolution pixels, clamped to the image.
 */
public final class PooledTiles implements AutoCloseable {
    static final int TILE = 256;

    private final int reduce;
    private final DecoderPool pool = new DecoderPool(4, 4, Duration.ofMinutes(10));
    private final DecoderKey key;
    private final int[][] positions;
    private int next;

    public PooledTiles(Path file, int reduce) throws OpenJpegException {
        this.reduce = reduce;
        this.key = new DecoderKey(file, 0);
        int span = TILE << reduce;
        int cols = Math.max(1, (Jp2ReaderBenchmark.WIDTH + span - 1) / span);
        int rows = Math.max(1, (Jp2ReaderBenchmark.HEIGHT + span - 1) / span);
        int n = Math.min(8, cols * rows);
        positions = new int[n][];
        for (int i = 0; i < n; i++) {
            int t = (int) ((long) i * 7 * cols * rows / n % (cols * rows));
            int x = t % cols * span;
            int y = t / cols * span;
            positions[i] = new int[] {x, y, Math.min(span, Jp2ReaderBenchmark.WIDTH - x),
                Math.min(span, Jp2ReaderBenchmark.HEIGHT - y)};
        }
        // Opens the pooled reader now, so the first measured call does not pay for it.
        pool.withDecoder(key, Jp2Reader::header);
    }

    /** The next position, {x, y, w, h}. */
    public int[] next() {
        int[] p = positions[next];
        next = (next + 1) % positions.length;
        return p;
    }

    /** The next tile, decoded through the pool. */
    public Raster decodeNext() throws OpenJpegException {
        int[] p = next();
        return pool.withDecoder(key, r -> r.decode(p[0], p[1], p[2], p[3], reduce));
    }

    @Override
    public void close() {
        pool.close();
    }
}
