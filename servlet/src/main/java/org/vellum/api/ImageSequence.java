package org.vellum.api;

import java.util.List;
import java.util.Locale;

/**
 * iipsrv's image sequence: the files {@code <base><pattern><h>_<v>.<extension>} (h and v at least three digits), named
 * together by {@code <base>}. IIP's SDS=h,v picks one; the default view is 0,90, the file the base resolves to.
 *
 * @param prefix     {@code <base><pattern>}, as an identifier
 * @param extension  the extension of the 000_090 file, which every member shares
 * @param horizontal the horizontal views (h of the files whose v is 90), ascending
 * @param vertical   the vertical views (v of the files whose h is 0), ascending
 * @since 1.1
 */
public record ImageSequence(String prefix, String extension, List<Integer> horizontal, List<Integer> vertical) {

    public ImageSequence {
        horizontal = List.copyOf(horizontal);
        vertical = List.copyOf(vertical);
    }

    /** Whether h,v is a view of the sequence: h one of its horizontal views and v one of its vertical ones. */
    public boolean has(int h, int v) {
        return horizontal.contains(h) && vertical.contains(v);
    }

    /** The identifier of view h,v's file, as iipsrv names it ({@code %03d_%03d}). */
    public String member(int h, int v) {
        return String.format(Locale.ROOT, "%s%03d_%03d.%s", prefix, h, v, extension);
    }
}
