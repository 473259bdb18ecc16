package org.vellum.dspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Assetstore files have no extension: a JPEG 2000 is recognised by its first bytes. */
final class Jp2Magic {
    private static final byte[] JP2 = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A};
    private static final byte[] J2K = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};

    private Jp2Magic() {
    }

    static boolean isJpeg2000(Path file) throws IOException {
        byte[] head = new byte[JP2.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return n == JP2.length && Arrays.equals(head, JP2)
                || n >= J2K.length && Arrays.equals(Arrays.copyOf(head, J2K.length), J2K);
    }
}
