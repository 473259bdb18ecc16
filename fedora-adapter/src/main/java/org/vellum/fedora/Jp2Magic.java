package org.vellum.fedora;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A binary is served when its first bytes are a JPEG 2000's, whatever its name or declared MIME type say. */
final class Jp2Magic {
    private static final byte[] JP2 = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A};
    private static final byte[] J2K = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};

    private Jp2Magic() {
    }

    static boolean isJpeg2000(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(JP2.length);
            return head.length == JP2.length && Arrays.equals(head, JP2)
                    || head.length >= J2K.length && Arrays.equals(Arrays.copyOf(head, J2K.length), J2K);
        }
    }
}
