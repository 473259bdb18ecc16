package org.vellum.testing;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Folders of pages made with our encoder: each page a flat colour of its own with its number written large, so a
 * screenshot tells which page a viewer shows ({@link #colour}).
 */
public final class Books {
    private Books() {
    }

    /** Page n's background: hues far apart for neighbouring pages. */
    public static Color colour(int n) {
        return Color.getHSBColor((n * 0.381966f) % 1f, 0.75f, 0.85f);
    }

    public static BufferedImage page(int n, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour(n));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, height / 3)));
        g.drawString(String.valueOf(n), width / 8, height * 2 / 3);
        g.dispose();
        return img;
    }

    /** Writes page {@code n} as {@code name} into {@code dir} (created if needed). */
    public static Path writePage(Path dir, String name, int n, int width, int height) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Fixtures.write(dir, name, page(n, width, height), Fixtures.lossless(3, 0));
    }

    public static void writeText(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
