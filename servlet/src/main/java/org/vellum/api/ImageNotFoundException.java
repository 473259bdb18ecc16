package org.vellum.api;

/** The identifier names no readable image under the image root. */
public final class ImageNotFoundException extends Exception {
    public ImageNotFoundException(String message) {
        super(message);
    }
}
