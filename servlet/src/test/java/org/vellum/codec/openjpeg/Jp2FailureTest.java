package org.vellum.codec.openjpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files become {@link OpenJpegException}s, never a crash, and leave the library usable for the next good file. */
class Jp2FailureTest {
    @TempDir
    static Path dir;
    static Path good;
    static Path goodJ2k;

    @BeforeAll
    static void writeFixtures() throws Exception {
        good = Fixtures.write(dir, "good.jp2", 400, 300, 3, 8, Fixtures.lossless(4, 128), Fixtures::texture);
        goodJ2k = Fixtures.write(dir, "good.j2k", 400, 300, 3, 8, Fixtures.lossless(4, 128).withJp2(false), Fixtures::texture);
    }

    private static void goodFileStillDecodes() throws Exception {
        try (Jp2Reader r = Jp2Reader.open(good, 0)) {
            assertArrayEquals(Fixtures.expected(Fixtures::texture, 3, 8, 0, 0, 400, 300), r.decode(0, 0, 400, 300, 0).planes());
        }
    }

    @Test
    void zeroByteFileIsRejected() throws Exception {
        Path f = Files.createFile(dir.resolve("empty.jp2"));
        assertThrows(OpenJpegException.class, () -> Jp2Reader.open(f, 0));
        goodFileStillDecodes();
    }

    @Test
    void missingFileIsRejected() throws Exception {
        assertThrows(OpenJpegException.class, () -> Jp2Reader.open(dir.resolve("nope.jp2"), 0));
    }

    @Test
    void garbageFileIsRejected() throws Exception {
        byte[] junk = new byte[5000];
        new Random(42).nextBytes(junk);
        Path f = Files.write(dir.resolve("garbage.jp2"), junk);
        assertThrows(OpenJpegException.class, () -> Jp2Reader.open(f, 0));
        Path text = Files.writeString(dir.resolve("text.j2k"), "<html>not an image</html>");
        assertThrows(OpenJpegException.class, () -> Jp2Reader.open(text, 0));
        goodFileStillDecodes();
    }

    @Test
    void garbageAfterAValidSignatureIsRejected() throws Exception {
        byte[] junk = new byte[5000];
        new Random(7).nextBytes(junk);
        System.arraycopy(FileCheck.JP2_SIGNATURE, 0, junk, 0, 12);
        Path jp2 = Files.write(dir.resolve("sig-garbage.jp2"), junk);
        assertThrows(OpenJpegException.class, () -> Jp2Reader.open(jp2, 0));
        System.arraycopy(FileCheck.J2K_SOC_SIZ, 0, junk, 0, 4);
        Path j2k = Files.write(dir.resolve("soc-garbage.j2k"), junk);
        assertThrows(OpenJpegException.class, () -> Jp2Reader.open(j2k, 0));
        goodFileStillDecodes();
    }

    @Test
    void truncatedJp2IsRejected() throws Exception {
        byte[] bytes = Files.readAllBytes(good);
        for (int len : new int[] {20, 100, bytes.length / 2, bytes.length - 10}) {
            Path f = Files.write(dir.resolve("truncated-" + len + ".jp2"), Arrays.copyOf(bytes, len));
            assertThrows(OpenJpegException.class, () -> {
                try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                    r.decode(0, 0, 400, 300, 0);
                }
            });
        }
        goodFileStillDecodes();
    }

    @Test
    void truncatedCodestreamFailsOnDecodeAndTheReaderRefusesFurtherUse() throws Exception {
        byte[] bytes = Files.readAllBytes(goodJ2k);
        Path f = Files.write(dir.resolve("truncated.j2k"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        try (Jp2Reader r = Jp2Reader.open(f, 0)) {
            OpenJpegException first = assertThrows(OpenJpegException.class, () -> r.decode(0, 0, 400, 300, 0));
            assertFalse(first.nativeMessages().isEmpty(), "carries OpenJPEG's own error text");
            assertFalse(r.usable());
            OpenJpegException again = assertThrows(OpenJpegException.class, () -> r.decode(0, 0, 10, 10, 0));
            assertTrue(again.getMessage().contains("earlier failure"), again.getMessage());
        }
        goodFileStillDecodes();
    }

    @Test
    void messageStreamsAreClosedWithTheirReader() throws Exception {
        byte[] bytes = Files.readAllBytes(goodJ2k);
        Path f = Files.write(dir.resolve("truncated-often.j2k"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        long before = openFileDescriptors();
        for (int i = 0; i < 200; i++) {
            try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                assertThrows(OpenJpegException.class, () -> r.decode(0, 0, 400, 300, 0));
            }
        }
        long after = openFileDescriptors();
        assertTrue(after - before <= 2, "file descriptors " + before + " -> " + after);
    }

    private static long openFileDescriptors() throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void truncatedSingleTileCodestreamFailsCleanly() throws Exception {
        Path single = Fixtures.write(dir, "single.j2k", 400, 300, 3, 8, Fixtures.lossless(4, 0).withJp2(false), Fixtures::texture);
        byte[] bytes = Files.readAllBytes(single);
        Path f = Files.write(dir.resolve("single-truncated.j2k"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(OpenJpegException.class, () -> {
            try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                r.decode(0, 0, 400, 300, 0);
            }
        });
        goodFileStillDecodes();
    }

    @Test
    void implausibleSizMarkersAreRejectedBeforeOpenJpegSeesThem() throws Exception {
        byte[] bytes = Files.readAllBytes(goodJ2k);
        byte[] deep = bytes.clone();
        deep[4 + 38] = 0x1F; // component 0: 32 bits
        Path f = Files.write(dir.resolve("deep.j2k"), deep);
        OpenJpegException e = assertThrows(OpenJpegException.class, () -> Jp2Reader.open(f, 0));
        assertTrue(e.getMessage().contains("bits"), e.getMessage());
        byte[] many = bytes.clone();
        many[4 + 36] = 0;
        many[4 + 37] = 17; // Csiz = 17
        Path g = Files.write(dir.resolve("many.j2k"), many);
        assertThrows(OpenJpegException.class, () -> Jp2Reader.open(g, 0));
        goodFileStillDecodes();
    }
}
