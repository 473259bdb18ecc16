package org.vellum.server;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;
import org.vellum.codec.openjpeg.OpenJpegException;

/**
 * The demo image: a large drawing with a labelled grid, so panning and zooming show where you are. Drawn tile by tile
 * while our encoder writes it, so it never sits in memory whole; made once and kept.
 */
public final class DemoImage {
    private static final Logger LOG = LoggerFactory.getLogger(DemoImage.class);
    public static final String NAME = "demo.jp2";
    public static final int WIDTH = 10000;
    public static final int HEIGHT = 8000;

    private DemoImage() {
    }

    /** {@code DemoImage DIR}: makes DIR/demo.jp2 unless it exists (bin/vellum, before it starts the OSGi runtime). */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: DemoImage DIR");
            System.exit(2);
        }
        System.out.println(ensure(Path.of(args[0])));
    }

    /** Makes {@code dir/demo.jp2} unless it exists; returns its path. */
    public static Path ensure(Path dir) throws IOException, OpenJpegException {
        Files.createDirectories(dir);
        Path target = dir.resolve(NAME);
        if (Files.isRegularFile(target) && Files.size(target) > 0) return target;
        Path partial = dir.resolve(NAME + ".partial");
        LOG.info("Making the demo image {} ({}x{} px, once; about a minute)", target, WIDTH, HEIGHT);
        long start = System.nanoTime();
        Jp2Writer.write(partial, WIDTH, HEIGHT, 3, 8, false, Jp2EncodeOptions.archive(), DemoImage::draw);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Demo image ready in {} s", (System.nanoTime() - start) / 1_000_000_000);
        return target;
    }

    /** Draws the region (x, y, w, h) of the demo picture into the planes. */
    static void draw(int x, int y, int w, int h, int[][] planes) {
        BufferedImage tile = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = tile.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.translate(-x, -y);
        g.setPaint(new GradientPaint(0, 0, new Color(0xF4E9D0), WIDTH, HEIGHT, new Color(0x8FB3C9)));
        g.fillRect(x, y, w, h);
        for (int r = 200; r < 6000; r += 200) {
            g.setColor(new Color(Color.HSBtoRGB(r / 6000f, 0.6f, 0.7f)));
            g.setStroke(new BasicStroke(6 + r / 400f));
            g.drawOval(WIDTH / 2 - r, HEIGHT / 2 - r, 2 * r, 2 * r);
        }
        g.setStroke(new BasicStroke(2));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 28));
        for (int gx = 0; gx <= WIDTH; gx += 250) {
            g.setColor(gx % 1000 == 0 ? new Color(0x202020) : new Color(0x707070));
            g.drawLine(gx, y, gx, y + h);
        }
        for (int gy = 0; gy <= HEIGHT; gy += 250) {
            g.setColor(gy % 1000 == 0 ? new Color(0x202020) : new Color(0x707070));
            g.drawLine(x, gy, x + w, gy);
        }
        g.setColor(new Color(0x101010));
        for (int gx = 0; gx < WIDTH; gx += 1000) {
            for (int gy = 0; gy < HEIGHT; gy += 1000) {
                if (gx + 400 < x || gx > x + w || gy + 60 < y || gy > y + h) continue;
                g.drawString(gx + "," + gy, gx + 10, gy + 36);
            }
        }
        g.setFont(new Font(Font.SERIF, Font.BOLD, 900));
        g.setColor(new Color(0x40, 0x20, 0x10, 0xB0));
        g.drawString("Vellum", 2300, 4400);
        g.dispose();
        int[] rgb = tile.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < rgb.length; i++) {
            planes[0][i] = rgb[i] >> 16 & 0xFF;
            planes[1][i] = rgb[i] >> 8 & 0xFF;
            planes[2][i] = rgb[i] & 0xFF;
        }
    }
}
