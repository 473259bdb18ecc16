package org.vellum.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JP2 boxes written by hand around what our encoder made (ISO 15444-1 annex I), for what it does not write itself.
 */
public final class Jp2Boxes {
    private static final int JP2H = 0x6A703268;
    private static final int COLR = 0x636F6C72;

    private Jp2Boxes() {
    }

    /**
     * Replaces the colr box in jp2h by one of method 2 (restricted ICC profile) holding {@code icc}, in place; the
     * codestream is copied unchanged.
     */
    public static Path tagWithIccProfile(Path jp2, byte[] icc) {
        try {
            byte[] in = Files.readAllBytes(jp2);
            ByteBuffer b = ByteBuffer.wrap(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + icc.length);
            int pos = 0;
            boolean tagged = false;
            while (pos < in.length) {
                int len = b.getInt(pos);
                int type = b.getInt(pos + 4);
                if (len == 0) len = in.length - pos;          // the last box, to the end of the file
                if (type != JP2H) {
                    out.write(in, pos, len);
                } else {
                    ByteArrayOutputStream kids = new ByteArrayOutputStream();
                    for (int p = pos + 8; p < pos + len; p += b.getInt(p)) {
                        if (b.getInt(p + 4) != COLR) {
                            kids.write(in, p, b.getInt(p));
                            continue;
                        }
                        ByteBuffer colr = ByteBuffer.allocate(11 + icc.length);
                        colr.putInt(11 + icc.length).putInt(COLR).put((byte) 2).put((byte) 0).put((byte) 0).put(icc);
                        kids.writeBytes(colr.array());
                        tagged = true;
                    }
                    out.writeBytes(ByteBuffer.allocate(8).putInt(8 + kids.size()).putInt(JP2H).array());
                    out.writeBytes(kids.toByteArray());
                }
                pos += len;
            }
            if (!tagged) throw new IllegalStateException("no colr box in " + jp2);
            Files.write(jp2, out.toByteArray());
            return jp2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
