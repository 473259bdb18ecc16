package org.vellum.protocol.iip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.vellum.image.ImageInfo;
import org.vellum.image.PixelOps;
import org.vellum.image.Quality;

/**
 * The view an IIP request has set up by the time an output command runs: size, region, rotation, colour and pixel
 * operations, as iipsrv's modifier commands leave them.
 *
 * @param width   WID, 0 when not given
 * @param height  HEI, 0 when not given
 * @param region  RGN as fractions of the image, null for all of it
 * @param quality QLT 1..100
 * @param layers  LYR, 0 when not given
 */
record IipView(int width, int height, Fraction region, int quality, int layers, double rotation, boolean mirror,
               Quality colour, PixelOps ops) {

    /** RGN=x,y,w,h: fractions of the full image, each clamped to 0..1. */
    record Fraction(double x, double y, double width, double height) {
    }

    /** Quarter turns clockwise. */
    int turns() {
        return Math.floorMod((int) Math.round(rotation / 90.0), 4);
    }

    /** The modifiers met so far; each output command takes a snapshot with {@link #view()}. */
    static final class Builder {
        private int width;
        private int height;
        private Fraction region;
        private int quality;
        private int layers;
        private double rotation;
        private boolean mirror;
        private Quality colour = Quality.DEFAULT;
        private final List<PixelOps.Range> minMax = new ArrayList<>();
        private int[] shade;
        private double[][] twist;
        private double gamma = Double.NaN;
        private boolean invert;
        private String colormap;
        private double contrast = Double.NaN;
        private boolean stretch;
        private boolean equalize;

        Builder(int quality) {
            this.quality = quality;
        }

        /**
         * Applies a modifier command; false when {@code c} is none.
         *
         * @param info the image once FIF has named one (MINMAX scales by its bit depth), else null
         */
        boolean apply(IipQuery.Command c, ImageInfo info) {
            String arg = c.argument();
            switch (c.name()) {
                case "wid" -> width = IipQuery.atoi(arg);
                case "hei" -> height = IipQuery.atoi(arg);
                case "rgn" -> regionOf(arg);
                case "qlt" -> quality = Math.max(1, Math.min(100, IipQuery.atoi(arg)));
                case "lyr" -> layers = IipQuery.atoi(arg);
                case "rot" -> rotationOf(arg);
                case "sds", "icc" -> { }                  // single images only: no sequence angles; ICC is a no-op
                case "cnt" -> contrastOf(arg.toLowerCase(Locale.ROOT));
                case "gam" -> gamma = arg.toLowerCase(Locale.ROOT).startsWith("log") ? PixelOps.LOG
                        : IipQuery.atof(arg);
                case "inv" -> invert = true;
                case "cmp" -> colormap = arg.toLowerCase(Locale.ROOT);
                case "col" -> colourOf(arg.toLowerCase(Locale.ROOT));
                case "shd" -> shadeOf(arg);
                case "ctw" -> twistOf(IipQuery.decode(arg));
                case "minmax" -> minMaxOf(arg, info);
                default -> {
                    return false;
                }
            }
            return true;
        }

        IipView view() {
            PixelOps ops = new PixelOps(List.copyOf(minMax), shade, twist, gamma, invert, colormap, contrast, stretch,
                    equalize);
            return new IipView(width, height, region, quality, layers, rotation, mirror, colour, ops);
        }

        private void regionOf(String arg) {
            String[] p = arg.split(",");
            if (p.length < 4) return;
            double[] r = new double[4];
            for (int i = 0; i < 4; i++) r[i] = Math.max(0, Math.min(1, IipQuery.atof(p[i])));
            if (r[2] > 0 && r[3] > 0) region = new Fraction(r[0], r[1], r[2], r[3]);
        }

        private void rotationOf(String arg) {
            mirror = arg.startsWith("!");
            rotation = IipQuery.atof(mirror ? arg.substring(1) : arg);
            if (mirror && Math.floorMod((int) Math.round(rotation), 360) == 180) {
                // "!180" is a vertical flip: a horizontal mirror then 180 degrees
                rotation = 180;
            }
        }

        private void contrastOf(String arg) {
            switch (arg) {
                case "eq", "equalization" -> equalize = true;
                case "st", "stretch" -> stretch = true;
                default -> contrast = IipQuery.atof(arg);
            }
        }

        private void colourOf(String arg) {
            switch (arg) {
                case "grey", "gray" -> colour = Quality.GRAY;
                case "binary" -> colour = Quality.BITONAL;
                default -> { }
            }
        }

        private void shadeOf(String arg) {
            String[] p = arg.split(",");
            shade = new int[] {IipQuery.atoi(p[0]), p.length > 1 ? IipQuery.atoi(p[1]) : 30};
        }

        private void twistOf(String arg) {
            String body = arg.replace("[", "").replace("]", "");
            List<double[]> rows = new ArrayList<>();
            for (String row : body.split(";")) {
                String[] v = row.split(",");
                double[] r = new double[v.length];
                for (int i = 0; i < v.length; i++) r[i] = IipQuery.atof(v[i]);
                if (v.length > 0 && !row.isBlank()) rows.add(r);
            }
            if (!rows.isEmpty() && rows.size() <= 3) twist = rows.toArray(double[][]::new);
        }

        private void minMaxOf(String arg, ImageInfo info) {
            int colon = arg.indexOf(':');
            if (colon < 0) return;
            String ch = arg.substring(0, colon);
            String[] range = arg.substring(colon + 1).split(",");
            if (range.length < 2) return;
            double scale = 255.0 / ((1L << Math.max(1, info == null ? 8 : info.bitsPerChannel())) - 1);
            int channel = ch.equals("-") ? -1 : IipQuery.atoi(ch);
            minMax.add(new PixelOps.Range(channel, IipQuery.atof(range[0]) * scale, IipQuery.atof(range[1]) * scale));
        }
    }
}
