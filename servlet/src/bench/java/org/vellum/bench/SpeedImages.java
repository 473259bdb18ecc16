package org.vellum.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;

/**
 * Makes one benchmark image for bench/speed.sh with our encoder, archive profile (8 levels, 8 layers, 9/7, RPCL,
 * PLT/TLM), either as one tile or in 1024 px tiles, unless the file is already there:
 * <pre>SpeedImages FILE WIDTH HEIGHT single|tiled</pre>
 * The picture (gradients, rings and mild deterministic noise, so it compresses like a scan rather than a flat card)
 * is computed for whatever region the writer asks for, so the image never sits in the heap whole: tiled images are
 * pulled tile by tile, a single tile in bands of rows (OpenJPEG itself still holds that one tile natively).
 */
public final class SpeedImages {
    private SpeedImages() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !args[3].matches("single|tiled")) {
            System.err.println("usage: SpeedImages FILE WIDTH HEIGHT single|tiled");
            System.exit(2);
        }
        Path target = Path.of(args[0]);
        int w = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        if (Files.isRegularFile(target) && Files.size(target) > 0) {
            System.out.println(target + " exists");
            return;
        }
        Jp2EncodeOptions options = Jp2EncodeOptions.archive().withTileSize(args[3].equals("single") ? 0 : 1024);
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        long start = System.nanoTime();
        Jp2Writer.write(partial, w, h, 3, 8, false, options, (x, y, rw, rh, planes) -> draw(w, h, 7, 37.0, x, y, rw, rh, planes));
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("%s: %dx%d %s, %.1f MB in %.0f s%n", target, w, h, args[3], Files.size(target) / 1e6,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Rows of the picture for {@link Jp2Writer}: gradients across the width and height, rings of {@code ringPeriod}
     * pixels around the centre, and deterministic noise of {@code noiseMask} levels (more noise compresses less).
     */
    public static void draw(int width, int height, int noiseMask, double ringPeriod, int x, int y, int w, int h,
                            int[][] planes) {
        double cx = width / 2.0;
        double cy = height / 2.0;
        for (int r = 0; r < h; r++) {
            int py = y + r;
            for (int q = 0; q < w; q++) {
                int px = x + q;
                int i = r * w + q;
                int noise = hash(px, py) & noiseMask;
                double ring = 0.5 + 0.5 * Math.sin(Math.hypot(px - cx, py - cy) / ringPeriod);
                planes[0][i] = clamp((int) ((long) px * 200 / width) + noise);
                planes[1][i] = clamp((int) ((long) py * 200 / height) + noise);
                planes[2][i] = clamp((int) (ring * 220) + (noise >> 1));
            }
        }
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
