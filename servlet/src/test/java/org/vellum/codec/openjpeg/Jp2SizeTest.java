package org.vellum.codec.openjpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size a book's manifest lists for a page, read in Java from the boxes and SIZ marker, is the size OpenJPEG's
 * header gives, for JP2 files and raw codestreams, tiled and untiled, odd sizes, grey and colour, 8 and 16 bits; and
 * what a decoder would refuse before OpenJPEG sees it is refused here too.
 */
class Jp2SizeTest {
    @TempDir
    Path dir;

    @Test
    void theSizeIsOpenJpegsForEveryKindOfFile() throws Exception {
        List<Path> files = List.of(
                Fixtures.write(dir, "untiled.jp2", 401, 299, 3, 8, Fixtures.lossless(4, 0), Fixtures::texture),
                Fixtures.write(dir, "tiled.jp2", 777, 333, 3, 8, Fixtures.lossless(5, 128), Fixtures::texture),
                Fixtures.write(dir, "raw.j2k", 333, 222, 3, 8, Fixtures.lossless(4, 128).withJp2(false),
                        Fixtures::texture),
                Fixtures.write(dir, "grey16.jp2", 129, 65, 1, 16, Fixtures.lossless(3, 0), Fixtures::texture),
                Fixtures.write(dir, "tiny.jp2", 1, 1, 1, 8, Fixtures.lossless(1, 0), Fixtures::texture));
        for (Path f : files) {
            try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                assertEquals(new Jp2Size(r.header().width(), r.header().height()), Jp2Size.read(f), f.toString());
            }
        }
    }

    @Test
    void whatIsNoJpeg2000OrIsTruncatedBeforeItsSizIsRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("text.jp2"), "<html>not an image</html>");
        assertThrows(OpenJpegException.class, () -> Jp2Size.read(text));
        Path good = Fixtures.write(dir, "good.jp2", 64, 48, 3, 8, Fixtures.lossless(2, 0), Fixtures::texture);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.jp2"), Arrays.copyOf(bytes, 40));
        assertThrows(OpenJpegException.class, () -> Jp2Size.read(cut));
        assertThrows(OpenJpegException.class, () -> Jp2Size.read(dir.resolve("missing.jp2")));
    }
}
