package org.vellum.codec.openjpeg;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Minimal codestream walker for tests: main-header markers and, per tile-part, the markers of its header. */
final class Codestream {
    final List<Integer> mainMarkers = new ArrayList<>();
    final List<List<Integer>> tilePartMarkers = new ArrayList<>();
    final List<Integer> tilePartTiles = new ArrayList<>();

    static Codestream parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        int start = 0;
        if ((b.getShort(0) & 0xFFFF) != 0xFF4F) {
            int pos = 0;
            while (true) {
                int len = b.getInt(pos);
                int type = b.getInt(pos + 4);
                if (type == 0x6A703263) {
                    start = pos + 8;
                    break;
                }
                pos += len;
            }
        }
        Codestream cs = new Codestream();
        int pos = start + 2;
        while (pos + 4 <= file.length) {
            int marker = b.getShort(pos) & 0xFFFF;
            if (marker == 0xFFD9) {
                break;
            }
            if (marker == 0xFF90) {
                int psot = b.getInt(pos + 6);
                cs.tilePartTiles.add(b.getShort(pos + 4) & 0xFFFF);
                List<Integer> markers = new ArrayList<>();
                int p = pos + 2 + (b.getShort(pos + 2) & 0xFFFF);
                while ((b.getShort(p) & 0xFFFF) != 0xFF93) {
                    markers.add(b.getShort(p) & 0xFFFF);
                    p += 2 + (b.getShort(p + 2) & 0xFFFF);
                }
                cs.tilePartMarkers.add(markers);
                pos += psot;
            } else {
                cs.mainMarkers.add(marker);
                pos += 2 + (b.getShort(pos + 2) & 0xFFFF);
            }
        }
        return cs;
    }
}
