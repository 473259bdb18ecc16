package org.vellum.api;

/**
 * A resolver's refusal with the HTTP status it means, for what {@link ImageNotFoundException} (404) and
 * {@link ForbiddenPathException} (403) do not say: 400 for an identifier that cannot name anything, 401 when
 * credentials would help, 503 when the repository behind the resolver is unreachable.
 */
public class ResolverException extends Exception {
    private final int status;

    public ResolverException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ResolverException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
