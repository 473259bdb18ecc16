package org.vellum.image;

import java.io.IOException;
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
import org.vellum.codec.openjpeg.Jp2ReaderBenchmark;
import org.vellum.codec.openjpeg.OpenJpegException;
import org.vellum.codec.openjpeg.PooledTiles;
import org.vellum.codec.openjpeg.Raster;

/**
 * A 256x256 output tile at each resolution level of the 4096x3072 archive-profile image (1024 px codestream tiles,
 * 8 layers, 9/7): {@code decode} is the area decode alone through the pooled reader (the server's path), and
 * {@code decodeConvertEncode} adds what the server does next for a plain tile: samples to packed pixels and JPEG
 * (quality 75, TurboJPEG). The latter is the floor a served tile's time is compared with (issue 7: within 1.3x).
 * At reduce 4 the tile is the whole image (256x192). Tiles cycle over 8 positions spread over the grid.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DecodeLevelBenchmark {
    @Param({"0", "1", "2", "3", "4"})
    public int reduce;

    private PooledTiles tiles;

    @Setup(Level.Trial)
    public void setUp() throws IOException, OpenJpegException {
        tiles = new PooledTiles(Jp2ReaderBenchmark.fixture(), reduce);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tiles.close();
    }

    @Benchmark
    public Raster decode() throws OpenJpegException {
        return tiles.decodeNext();
    }

    @Benchmark
    public byte[] decodeConvertEncode() throws OpenJpegException, IOException {
        Raster raster = decode();
        Pixels pixels = Pixels.of(raster, 3);
        return Encoders.encode(pixels, OutputFormat.JPEG, 75);
    }

}
