package org.vellum.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vellum.codec.openjpeg.Jp2Reader;
import org.vellum.codec.openjpeg.Jp2ReaderBenchmark;
import org.vellum.codec.openjpeg.OpenJpegException;
import org.vellum.codec.openjpeg.Raster;
import org.vellum.codec.turbojpeg.TurboJpeg;

/**
 * The steps of a tile besides the area decode, each alone, on a real 256x256 tile of the benchmark image (full
 * resolution, so it compresses like a photograph): opening the file and parsing its main header, decoded samples to
 * packed pixels, JPEG at quality 75 by TurboJPEG and by ImageIO (the server's two encoders), and scaling.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TileStepsBenchmark {
    private Path file;
    private Raster raster;
    private Pixels tile;
    private Pixels big;
    private Pixels odd;

    @Setup(Level.Trial)
    public void setUp() throws IOException, OpenJpegException {
        file = Jp2ReaderBenchmark.fixture();
        try (Jp2Reader r = Jp2Reader.open(file, 0)) {
            raster = r.decode(1024, 1024, 256, 256, 0);
            tile = Pixels.of(r.decode(1024, 1024, 256, 256, 0).toImage(), 3);
            big = Pixels.of(r.decode(1024, 1024, 512, 512, 0).toImage(), 3);
            odd = Pixels.of(r.decode(1024, 1024, 300, 280, 0).toImage(), 3);
        }
    }

    /** Jp2Reader.open + close: file, codec, stream, main header (what the decoder pool saves per request). */
    @Benchmark
    public Object headerOpen() throws OpenJpegException {
        try (Jp2Reader r = Jp2Reader.open(file, 0)) {
            return r.header();
        }
    }

    /** What ImageEngine does with every decoded area: int planes to packed ARGB pixels (one pass for 8-bit RGB). */
    @Benchmark
    public Pixels rasterToPixels() {
        return Pixels.of(raster, 3);
    }

    @Benchmark
    public byte[] jpegTurboJpeg() throws IOException {
        return Encoders.encode(tile, OutputFormat.JPEG, 75);
    }

    @Benchmark
    public byte[] jpegImageIo(ImageIoOnly imageIo) throws IOException {
        return Encoders.encode(tile, OutputFormat.JPEG, 75);
    }

    /** A level the file does not store: 512x512 averaged down to 256x256. */
    @Benchmark
    public Pixels scaleHalf() {
        return Resampler.scale(big, 256, 256, true);
    }

    /** A non-integral factor, as IIIF sizes and CVT widths ask: 300x280 to 256x239. */
    @Benchmark
    public Pixels scaleOdd() {
        return Resampler.scale(odd, 256, 239, true);
    }

    /** Switches TurboJPEG off for the benchmark that takes this state, so Encoders falls back to ImageIO. */
    @State(Scope.Benchmark)
    public static class ImageIoOnly {
        @Setup(Level.Trial)
        public void off() {
            System.setProperty(TurboJpeg.ENABLED_PROPERTY, "false");
        }

        @TearDown(Level.Trial)
        public void on() {
            System.clearProperty(TurboJpeg.ENABLED_PROPERTY);
        }
    }
}
