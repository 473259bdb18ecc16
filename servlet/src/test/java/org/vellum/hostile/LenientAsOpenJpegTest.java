package org.vellum.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2ColorSpace;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;
import org.vellum.testing.OpjDecompress;
import org.vellum.testing.OpjDecompress.Decoded;

/**
 * Files that break a rule but that OpenJPEG's opj_decompress decodes are served, and served as it decodes them: our
 * own checks before OpenJPEG refuse only what would crash or exhaust memory (HostileCorpusTest keeps those).
 */
class LenientAsOpenJpegTest {
    @TempDir
    static Path tmp;
    static Path images;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OpjDecompress.available(), "opj_decompress (libopenjp2-tools) is needed for the reference decode");
        images = Files.createDirectories(tmp.resolve("images"));

        // The codestream box claims the whole file's length although it starts 100-odd bytes in.
        Path good = Fixtures.write(tmp, "good.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(3, 0));
        byte[] jp2 = Files.readAllBytes(good);
        int jp2c = jp2cOffset(jp2);
        ByteBuffer.wrap(jp2).putInt(jp2c, jp2.length);
        Files.write(images.resolve("jp2c-past-eof.jp2"), jp2);

        // 5 x 12416 in 97 tiles of 128 rows, of which the codestream holds only the first: a few hundred bytes.
        Path full = tmp.resolve("tall.j2k");
        Jp2Writer.write(full, 5, 12416, 1, 8, false, null, null, Jp2ColorSpace.GRAY,
                new Jp2EncodeOptions(2, 1, 128, true, false),
                (x, y, w, h, p) -> {
                    for (int j = 0; j < h; j++) for (int i = 0; i < w; i++) p[0][j * w + i] = (x + i) * 40 + (y + j) % 64;
                });
        Files.write(images.resolve("missing-tiles.j2k"), firstTileOnly(Files.readAllBytes(full)));

        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
    }

    static int jp2cOffset(byte[] jp2) {
        ByteBuffer b = ByteBuffer.wrap(jp2);
        int pos = 0;
        while (true) {
            int len = b.getInt(pos);
            if (b.getInt(pos + 4) == 0x6A703263) return pos;
            pos += len;
        }
    }

    /** The main header without TLM (which would list the missing tiles), tile 0's tile-parts, EOC. */
    static byte[] firstTileOnly(byte[] cs) {
        ByteBuffer b = ByteBuffer.wrap(cs);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(cs, 0, 2);
        int pos = 2;
        while ((b.getShort(pos) & 0xFFFF) != 0xFF90) {
            int len = 2 + (b.getShort(pos + 2) & 0xFFFF);
            if ((b.getShort(pos) & 0xFFFF) != 0xFF55) out.write(cs, pos, len);
            pos += len;
        }
        while ((b.getShort(pos) & 0xFFFF) == 0xFF90) {
            int psot = b.getInt(pos + 6);
            if ((b.getShort(pos + 4) & 0xFFFF) == 0) out.write(cs, pos, psot);
            pos += psot;
        }
        out.write(0xFF);
        out.write(0xD9);
        return out.toByteArray();
    }

    static BufferedImage get(String path) {
        HttpResponse<byte[]> r = http.get(path);
        assertEquals(200, r.statusCode(), path + ": " + Http.text(r));
        return Fixtures.decode(r.body());
    }

    static void sameAsOpjDecompress(String file, String path, int x0, int y0) {
        Decoded ref = OpjDecompress.decode(images.resolve(file), tmp);
        Decoded ours = OpjDecompress.of(get(path));
        for (int y = 0; y < ours.height(); y++) {
            for (int x = 0; x < ours.width(); x++) {
                int e = ref.at(x0 + x, y0 + y) & 0xFFFFFF;
                int a = ours.at(x, y) & 0xFFFFFF;
                if (e != a) assertEquals(String.format("%06x", e), String.format("%06x", a), path + " at " + x + "," + y);
            }
        }
    }

    @Test
    void aCodestreamBoxClaimingMoreBytesThanRemainIsReadToTheEndOfTheFile() {
        sameAsOpjDecompress("jp2c-past-eof.jp2", "/iiif/3/jp2c-past-eof.jp2/full/max/0/default.png", 0, 0);
        sameAsOpjDecompress("jp2c-past-eof.jp2", "/iip?FIF=jp2c-past-eof.jp2&PTL=1,1", 256, 0);
    }

    @Test
    void aCodestreamMissingMostOfItsTilesIsServedAsOpenJpegDecodesIt() {
        assertTrue(Files.exists(images.resolve("missing-tiles.j2k")));
        // (full/max would be scaled to IIIF's 5000-pixel maximum)
        sameAsOpjDecompress("missing-tiles.j2k", "/iiif/3/missing-tiles.j2k/0,0,5,4000/max/0/default.png", 0, 0);
        sameAsOpjDecompress("missing-tiles.j2k", "/iiif/3/missing-tiles.j2k/0,0,5,256/max/0/default.png", 0, 0);
        sameAsOpjDecompress("missing-tiles.j2k", "/iiif/3/missing-tiles.j2k/0,6000,5,256/max/0/default.png", 0, 6000);
    }
}
