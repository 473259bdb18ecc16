package org.vellum.image;

/** A width and a height in pixels. */
public record Dimension(int width, int height) {
}
