import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The source picture of bench/many.sh, written as a binary PPM for opj_compress: a scanned page rather than a flat
 * card, so that it compresses and decodes like a repository's images. Paper with a slow gradient and grain, lines of
 * text-like glyphs (strokes of a few pixels) in the left two thirds, and a photograph-like plate on the right (rings,
 * gradients, noise). Deterministic: the same size gives the same bytes. Run with Java's source launcher, no build:
 * <pre>java bench/ManyPicture.java FILE.ppm WIDTH HEIGHT</pre>
 */
public final class ManyPicture {
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java bench/ManyPicture.java FILE.ppm WIDTH HEIGHT");
            System.exit(2);
        }
        int w = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        byte[] row = new byte[w * 3];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[0])), 1 << 20)) {
            out.write(("P6\n" + w + " " + h + "\n255\n").getBytes("US-ASCII"));
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int[] rgb = pixel(w, h, x, y);
                    row[3 * x] = (byte) rgb[0];
                    row[3 * x + 1] = (byte) rgb[1];
                    row[3 * x + 2] = (byte) rgb[2];
                }
                out.write(row);
            }
        }
    }

    private static int[] pixel(int w, int h, int x, int y) {
        int grain = (hash(x, y) & 15) - 8;
        // Paper: warm, a little darker towards the bottom right, with grain.
        int shade = (int) (24L * (x + y) / (w + h));
        int r = 236 - shade + grain;
        int g = 226 - shade + grain;
        int b = 200 - shade + grain;
        int plateX = w * 2 / 3;
        int margin = Math.max(8, w / 40);
        if (x >= plateX && x < w - margin && y >= margin && y < h - margin) {
            // Plate: rings around an off-centre point, gradients across it, stronger noise.
            double cx = plateX + (w - plateX) * 0.4;
            double cy = h * 0.45;
            double ring = 0.5 + 0.5 * Math.sin(Math.hypot(x - cx, y - cy) / 23.0);
            int noise = (hash(y, x) & 31) - 16;
            r = (int) (ring * 160) + 40 * (x - plateX) / Math.max(1, w - plateX) + noise;
            g = (int) (ring * 90) + 120 * y / h + noise;
            b = 60 + (int) ((1 - ring) * 120) + noise / 2;
        } else if (x >= margin && x < plateX - margin && y >= margin && y < h - margin) {
            // Text: lines 48 px apart, glyph cells of 20x30 px, words of 2-9 glyphs; each glyph lights a few strokes
            // of a 3x4 grid, 3 px wide.
            int lineY = (y - margin) % 48;
            int line = (y - margin) / 48;
            int cellX = (x - margin) / 20;
            int inX = (x - margin) % 20;
            if (lineY < 30 && !space(line, cellX) && ink(hash(cellX, line), inX, lineY)) {
                int ink = 30 + (hash(x ^ 0x55, y) & 31);
                r = ink;
                g = ink;
                b = ink + 10;
            }
        }
        return new int[] {clamp(r), clamp(g), clamp(b)};
    }

    private static boolean space(int line, int cell) {
        return (hash(cell / 3, line * 7 + 1) & 7) == 0 && (hash(cell, line) & 1) == 0 || (hash(line, 99) & 15) == 0;
    }

    private static boolean ink(int bits, int x, int y) {
        for (int s = 0; s < 7; s++) {
            if ((bits >>> s & 1) == 0) {
                continue;
            }
            // Strokes: 3 vertical (left, middle, right), 4 horizontal (top, upper middle, lower middle, bottom).
            boolean hit = s < 3 ? Math.abs(x - (3 + 6 * s)) <= 1 && y >= 2 && y < 28
                    : Math.abs(y - (3 + 8 * (s - 3))) <= 1 && x >= 2 && x < 16;
            if (hit) {
                return true;
            }
        }
        return false;
    }

    private static int hash(int x, int y) {
        int v = x * 0x9E3779B1 ^ y * 0x85EBCA77;
        v ^= v >>> 15;
        v *= 0x2C1B3C6D;
        return v ^ v >>> 13;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
