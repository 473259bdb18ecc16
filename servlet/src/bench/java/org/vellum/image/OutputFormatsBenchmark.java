package org.vellum.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vellum.codec.openjpeg.Jp2Reader;
import org.vellum.codec.openjpeg.Jp2ReaderBenchmark;
import org.vellum.codec.openjpeg.OpenJpegException;
import org.vellum.testing.ExternalDecoders;
import org.vellum.testing.Fixtures;

/**
 * Encoding one real decoded tile (full resolution of the benchmark image, so it compresses like a photograph) as JPEG
 * (TurboJPEG), WebP and AVIF at the default settings (JPEG_QUALITY 75, WEBP_QUALITY 75, AVIF_QUALITY 60), AVIF at
 * speeds 6, 8 and 10 (the default). Setup prints each output's size and its mean error against the tile, decoded by
 * ImageIO, dwebp and avifdec, as "FORMATS size format bytes error" lines. Sample time, so bench/formats.sh can report
 * the median and the fastest encode, which a busy shared machine disturbs less than the mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)     // the median: the host is shared, and a mean takes in every stall
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class OutputFormatsBenchmark {
    @Param({"256", "1024"})
    public int size;

    @Param({"jpeg", "webp", "avif6", "avif8", "avif10"})
    public String format;

    private Pixels tile;

    @Setup(Level.Trial)
    public void setUp() throws IOException, OpenJpegException {
        BufferedImage img;
        try (Jp2Reader r = Jp2Reader.open(Jp2ReaderBenchmark.fixture(), 0)) {
            img = r.decode(1024, 1024, size, size, 0).toImage();
        }
        tile = Pixels.of(img, 3);
        byte[] out = encode();
        Path dir = Files.createTempDirectory("formats");
        BufferedImage back = switch (format) {
            case "jpeg" -> Fixtures.decode(out);
            case "webp" -> ExternalDecoders.dwebp(dir, out);
            default -> ExternalDecoders.avifdec(dir, out);
        };
        System.out.printf(Locale.ROOT, "%nFORMATS %d %s %d %.2f%n", size, format, out.length,
                Fixtures.meanError(img, back));
    }

    @Benchmark
    public byte[] encode() throws IOException {
        return switch (format) {
            case "jpeg" -> Encoders.encode(tile, OutputFormat.JPEG, 75);
            case "webp" -> Encoders.webp(tile, 75, null);
            default -> Encoders.avif(tile, 60, Integer.parseInt(format.substring(4)), null);
        };
    }
}
