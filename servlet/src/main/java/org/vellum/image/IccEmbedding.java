package org.vellum.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Puts an ICC profile into encoded JPEG and PNG bytes. Neither TurboJPEG 2.1 nor the JDK's PNG writer takes a
 * profile, so the segment or chunk is written here, into the bytes they produced.
 */
final class IccEmbedding {
    /** APP2 payload after its 14-byte "ICC_PROFILE\0", sequence and count: a segment's length field counts 16 bits. */
    static final int JPEG_CHUNK = 65535 - 2 - 14;
    /** The largest profile APP2 can hold: segments are counted in one byte. */
    static final int JPEG_MAX = 255 * JPEG_CHUNK;
    private static final byte[] ICC_TAG = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

    private IccEmbedding() {
    }

    /**
     * The JPEG with the profile in APP2 "ICC_PROFILE" segments (ICC.1 annex B: numbered from 1, split at 65519
     * bytes), after SOI and the JFIF APP0 that must come first.
     */
    static byte[] jpeg(byte[] jpeg, byte[] icc) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG");
        }
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at += 2 + ((jpeg[4] & 0xFF) << 8 | jpeg[5] & 0xFF);
        }
        int chunks = (icc.length + JPEG_CHUNK - 1) / JPEG_CHUNK;
        if (icc.length > JPEG_MAX) throw new IllegalArgumentException("ICC profile of " + icc.length + " bytes");
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + icc.length + 18 * chunks);
        out.write(jpeg, 0, at);
        for (int i = 0; i < chunks; i++) {
            int off = i * JPEG_CHUNK;
            int len = Math.min(JPEG_CHUNK, icc.length - off);
            int segment = 2 + ICC_TAG.length + 2 + len;
            out.write(0xFF);
            out.write(0xE2);
            out.write(segment >> 8);
            out.write(segment);
            out.writeBytes(ICC_TAG);
            out.write(i + 1);
            out.write(chunks);
            out.write(icc, off, len);
        }
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** The PNG with an iCCP chunk (the profile zlib-compressed) right after IHDR, before any PLTE or IDAT. */
    static byte[] png(byte[] png, byte[] icc) {
        int ihdrEnd = 8 + 4 + 4 + 13 + 4;
        if (png.length < ihdrEnd || png[12] != 'I' || png[13] != 'H' || png[14] != 'D' || png[15] != 'R') {
            throw new IllegalArgumentException("not a PNG");
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream(icc.length / 2 + 64);
        data.writeBytes("ICC profile".getBytes(StandardCharsets.ISO_8859_1));
        data.write(0);                                          // end of the profile's name
        data.write(0);                                          // compression method 0: zlib deflate
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(icc);
            deflater.finish();
            byte[] buf = new byte[8192];
            while (!deflater.finished()) data.write(buf, 0, deflater.deflate(buf));
        } finally {
            deflater.end();
        }
        byte[] body = data.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + body.length + 12);
        out.write(png, 0, ihdrEnd);
        out.write(body.length >>> 24);
        out.write(body.length >>> 16);
        out.write(body.length >>> 8);
        out.write(body.length);
        byte[] type = "iCCP".getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(type);
        out.writeBytes(body);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(body);
        long c = crc.getValue();
        out.write((int) (c >>> 24));
        out.write((int) (c >>> 16));
        out.write((int) (c >>> 8));
        out.write((int) c);
        out.write(png, ihdrEnd, png.length - ihdrEnd);
        return out.toByteArray();
    }
}
