package org.vellum.codec.openjpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vellum.bench.SpeedImages;

/**
 * One 256x256 output tile decoded from a tiled JP2 written by our encoder (archive profile: 1024 px tiles, 8 layers,
 * 9/7), through the decoder pool (the server's path: the reader and its parsed main header are reused) against a
 * fresh {@link Jp2Reader#open} per decode (what a server without a pool, such as iipsrv 1.1, pays per request).
 * <p>
 * {@code reduce = 0}: a full-resolution tile, cycling over 8 tile positions so no single tile is favoured;
 * {@code reduce = 4}: the whole 4096x3072 image at 256x192, a viewer's first tile. All layers are decoded.
 * Run with {@code bench/jmh.sh}; it prints the ratio pooled/fresh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Jp2ReaderBenchmark {
    public static final int WIDTH = 4096;
    public static final int HEIGHT = 3072;

    @Param({"0", "4"})
    public int reduce;

    private Path file;
    private PooledTiles tiles;

    @Setup(Level.Trial)
    public void setUp() throws IOException, OpenJpegException {
        file = fixture();
        tiles = new PooledTiles(file, reduce);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tiles.close();
    }

    @Benchmark
    public Raster pooledReader() throws OpenJpegException {
        return tiles.decodeNext();
    }

    @Benchmark
    public Raster freshReaderPerDecode() throws OpenJpegException {
        int[] p = tiles.next();
        try (Jp2Reader r = Jp2Reader.open(file, 0)) {
            return r.decode(p[0], p[1], p[2], p[3], reduce);
        }
    }

    /** The test image, made once under target/ (about 10 s) and reused by later runs and forks. */
    public static Path fixture() throws IOException, OpenJpegException {
        Path dir = Path.of(System.getProperty("vellum.bench.dir", "target/bench"));
        Files.createDirectories(dir);
        Path target = dir.resolve("jmh-" + WIDTH + "x" + HEIGHT + "-archive.jp2");
        if (Files.isRegularFile(target) && Files.size(target) > 0) {
            return target;
        }
        Path partial = dir.resolve(target.getFileName() + ".partial");
        Jp2Writer.write(partial, WIDTH, HEIGHT, 3, 8, false, Jp2EncodeOptions.archive(), Jp2ReaderBenchmark::draw);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Gradients, rings and deterministic noise: compresses like a photograph, not like a flat test card. */
    static void draw(int x, int y, int w, int h, int[][] planes) {
        SpeedImages.draw(WIDTH, HEIGHT, 31, 23.0, x, y, w, h, planes);
    }
}
