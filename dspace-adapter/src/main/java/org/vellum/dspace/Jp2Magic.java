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

    /** How many first bytes the signature check needs. */
    static final int LENGTH = JP2.length;

    static boolean isJpeg2000(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return isJpeg2000(in.readNBytes(LENGTH));
        }
    }

    /** The first bytes of a file (fewer when it is shorter) are a JP2 box signature or a J2K codestream's start. */
    static boolean isJpeg2000(byte[] head) {
        int n = head.length;
        return n >= JP2.length && Arrays.equals(Arrays.copyOf(head, JP2.length), JP2)
                || n >= J2K.length && Arrays.equals(Arrays.copyOf(head, J2K.length), J2K);
    }
}
