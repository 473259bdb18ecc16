package org.vellum.codec.openjpeg;

/**
 * Up to 8 output tiles of 256x256 at one reduce factor, spread over the benchmark image's grid (stride 7 modulo the
 * tile count, so they come from different codestream tiles), handed out in turn so no single tile is favoured.
 * Each is {x, y, w, h} in full-resolution pixels, clamped to the image.
 */
public final class TilePositions {
    static final int TILE = 256;

    private final int[][] positions;
    private int next;

    public TilePositions(int reduce) {
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
    }

    public int[] next() {
        int[] p = positions[next];
        next = (next + 1) % positions.length;
        return p;
    }
}
