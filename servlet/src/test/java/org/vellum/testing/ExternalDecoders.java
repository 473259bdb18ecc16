package org.vellum.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import javax.imageio.ImageIO;

/**
 * The reference decoders of WebP and AVIF: Debian's command-line tools ({@code dwebp}, {@code webpmux} from the
 * {@code webp} package, {@code avifdec} from {@code libavif-bin}; bin/install-deps test installs them), run on files,
 * so what they read is exactly the bytes a client would get and nothing of our binding is involved.
 */
public final class ExternalDecoders {
    private ExternalDecoders() {
    }

    /** dwebp's decode of a WebP file, as a PNG read by ImageIO (RGBA when the WebP has alpha). */
    public static BufferedImage dwebp(Path dir, byte[] webp) {
        return toPng(dir, webp, "webp", (in, out) -> List.of("dwebp", "-quiet", in, "-o", out));
    }

    /** avifdec's decode of an AVIF file, as an 8-bit PNG read by ImageIO. */
    public static BufferedImage avifdec(Path dir, byte[] avif) {
        return toPng(dir, avif, "avif", (in, out) -> List.of("avifdec", "--depth", "8", in, out));
    }

    /** The ICC profile webpmux finds in the WebP's ICCP chunk, or null when it has none. */
    public static byte[] webpmuxIcc(Path dir, byte[] webp) {
        try {
            Path in = Files.write(Files.createTempFile(dir, "in", ".webp"), webp);
            Path out = dir.resolve(in.getFileName() + ".icc");
            int rc = run(List.of("webpmux", "-get", "icc", in.toString(), "-o", out.toString()));
            return rc == 0 && Files.exists(out) ? Files.readAllBytes(out) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ICC profile of a PNG's iCCP chunk (inflated), or null when it has none. */
    public static byte[] pngIcc(byte[] png) {
        int at = 8;
        while (at + 8 <= png.length) {
            int len = (png[at] & 0xFF) << 24 | (png[at + 1] & 0xFF) << 16 | (png[at + 2] & 0xFF) << 8 | png[at + 3] & 0xFF;
            String type = new String(png, at + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("iCCP")) {
                int p = at + 8;
                while (png[p] != 0) p++;                 // profile name, NUL-terminated, then the method byte
                Inflater inf = new Inflater();
                inf.setInput(png, p + 2, at + 8 + len - (p + 2));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                try {
                    while (!inf.finished()) {
                        int n = inf.inflate(buf);
                        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                        out.write(buf, 0, n);
                    }
                } catch (DataFormatException e) {
                    throw new IllegalStateException(e);
                } finally {
                    inf.end();
                }
                return out.toByteArray();
            }
            if (type.equals("IDAT")) return null;         // iCCP must come before the image data
            at += 12 + len;
        }
        return null;
    }

    /** avifdec's PNG of an AVIF file, as bytes (to look at its chunks). */
    public static byte[] avifdecPng(Path dir, byte[] avif) {
        try {
            Path in = Files.write(Files.createTempFile(dir, "in", ".avif"), avif);
            Path out = dir.resolve(in.getFileName() + ".png");
            assertEquals(0, run(List.of("avifdec", "--depth", "8", in.toString(), out.toString())), "avifdec");
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Command {
        List<String> of(String in, String out);
    }

    private static BufferedImage toPng(Path dir, byte[] data, String ext, Command command) {
        try {
            Path in = Files.write(Files.createTempFile(dir, "in", "." + ext), data);
            Path out = dir.resolve(in.getFileName() + ".png");
            List<String> cmd = command.of(in.toString(), out.toString());
            assertEquals(0, run(cmd), String.join(" ", cmd));
            BufferedImage img = ImageIO.read(out.toFile());
            assertNotNull(img, "no PNG from " + cmd.get(0));
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " did not finish");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
