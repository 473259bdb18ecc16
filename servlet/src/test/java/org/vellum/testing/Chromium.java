package org.vellum.testing;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

/** Headless Chromium on a page: its DOM after the page settled, or a screenshot of it. */
public final class Chromium {
    public static final Path BINARY = Path.of(System.getProperty("vellum.chromium", "/usr/bin/chromium"));

    private Chromium() {
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** The DOM after {@code budgetMs} of virtual time. */
    public static String dom(Path work, String url, int width, int height, int budgetMs) throws Exception {
        return new String(run(work, url, width, height, budgetMs, "--dump-dom"), StandardCharsets.UTF_8);
    }

    /**
     * The viewport after {@code budgetMs} of virtual time, also kept as {@code target/screenshots/<name>.png} for a
     * person to look at.
     */
    public static BufferedImage screenshot(Path work, String url, int width, int height, int budgetMs, String name)
            throws Exception {
        Path png = Files.createTempFile(work, "screenshot", ".png");
        Files.delete(png);
        run(work, url, width, height, budgetMs, "--screenshot=" + png, "--hide-scrollbars");
        if (!Files.isRegularFile(png)) throw new AssertionError("chromium wrote no screenshot of " + url);
        Path kept = Files.createDirectories(Path.of("target", "screenshots")).resolve(name + ".png");
        Files.copy(png, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return ImageIO.read(png.toFile());
    }

    private static byte[] run(Path work, String url, int width, int height, int budgetMs, String... extra)
            throws Exception {
        Path profile = Files.createTempDirectory(work, "chromium");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--virtual-time-budget=" + budgetMs));
        command.addAll(List.of(extra));
        command.add(url);
        Path out = profile.resolve("stdout");
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.redirectError(profile.resolve("chromium.log").toFile());
        pb.redirectOutput(out.toFile());         // a file, so a Chromium that hangs cannot block the test
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish on " + url);
        }
        return Files.readAllBytes(out);
    }

    /** Share of the image's pixels within {@code tolerance} (per channel) of {@code rgb}. */
    public static double share(BufferedImage img, int rgb, int tolerance) {
        long hits = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs((p >> 16 & 255) - (rgb >> 16 & 255)) <= tolerance
                        && Math.abs((p >> 8 & 255) - (rgb >> 8 & 255)) <= tolerance
                        && Math.abs((p & 255) - (rgb & 255)) <= tolerance) {
                    hits++;
                }
            }
        }
        return hits / (double) ((long) img.getWidth() * img.getHeight());
    }
}
