package org.vellum.protocol.iiif;

/** A IIIF request that cannot be answered: the HTTP status the Image API prescribes and a short reason. */
public final class IiifException extends Exception {
    private final int status;

    public IiifException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 400: the request's syntax is wrong. */
    static IiifException badRequest(String message) {
        return new IiifException(400, message);
    }

    /** 501: a valid request for a feature this server does not offer. */
    static IiifException notImplemented(String message) {
        return new IiifException(501, message);
    }
}
