package org.vellum.image;

/** Colour treatment of the output. */
public enum Quality {
    DEFAULT, COLOR, GRAY, BITONAL
}
