package org.vellum.codec.openjpeg;

/** Supplies pixels for encoding, a region at a time, so huge images never sit in memory whole. */
@FunctionalInterface
public interface PixelSource {
    /** Fill planes[c][row*w+col] for the region (x,y,w,h) of the full image. */
    void read(int x, int y, int w, int h, int[][] planes);
}
