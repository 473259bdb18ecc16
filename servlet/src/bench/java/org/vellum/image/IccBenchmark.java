package org.vellum.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * ICC_PROFILES=embed against convert on a real 256x256 tile of the benchmark image, JPEG quality 75 by TurboJPEG:
 * the plain encode, the encode with the profile embedded (APP2 segments into the bytes), and the conversion to sRGB
 * (LittleCMS through java.awt.color) alone and followed by the encode. The profiles are from icc-profiles-free: a
 * 580-byte matrix/TRC one (Adobe RGB compatible) and its 6922-byte sRGB (v4 with lookup tables). Setup prints the
 * tile's bytes with and without each profile, which embedding adds to every tile.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class IccBenchmark {
    @Param({"compatibleWithAdobeRGB1998.icc", "sRGB.icc"})
    public String profile;

    private Pixels tile;
    private IccProfiles.Profile icc;

    @Setup(Level.Trial)
    public void setUp() throws IOException, OpenJpegException {
        try (Jp2Reader r = Jp2Reader.open(Jp2ReaderBenchmark.fixture(), 0)) {
            tile = Pixels.of(r.decode(1024, 1024, 256, 256, 0).toImage(), 3);
        }
        byte[] bytes = Files.readAllBytes(Path.of("/usr/share/color/icc", profile));
        icc = IccProfiles.parse(bytes).orElseThrow(() -> new IllegalStateException(profile + " is not usable"));
        System.out.printf("%n%s: JPEG q75 tile %d bytes plain, %d embedded, %d converted%n", profile,
                Encoders.encode(tile, OutputFormat.JPEG, 75).length, jpegEmbedded().length, jpegConverted().length);
    }

    @Benchmark
    public byte[] jpegPlain() throws IOException {
        return Encoders.encode(tile, OutputFormat.JPEG, 75);
    }

    @Benchmark
    public byte[] jpegEmbedded() throws IOException {
        return Encoders.encode(tile, OutputFormat.JPEG, 75, icc.bytes());
    }

    @Benchmark
    public Pixels convertOnly() {
        return IccProfiles.toSrgb(tile, icc);
    }

    @Benchmark
    public byte[] jpegConverted() throws IOException {
        return Encoders.encode(IccProfiles.toSrgb(tile, icc), OutputFormat.JPEG, 75);
    }
}
