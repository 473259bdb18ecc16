package org.vellum.image;

/** A rectangle in pixels: origin and size. */
public record Rect(int x, int y, int width, int height) {

    public boolean isEmpty() {
        return width <= 0 || height <= 0;
    }

    /** This rectangle cut to 0..w, 0..h; empty when it lies outside. */
    public Rect clip(int w, int h) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = (int) Math.min(w, (long) x + width);
        int y1 = (int) Math.min(h, (long) y + height);
        return new Rect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }
}
