package org.vellum.image;

/** A request the engine cannot serve, with the HTTP status that says why. */
public final class ImageException extends Exception {
    private final int status;

    public ImageException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ImageException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
