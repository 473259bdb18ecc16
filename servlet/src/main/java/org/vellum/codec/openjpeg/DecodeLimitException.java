package org.vellum.codec.openjpeg;

/**
 * A decode would make OpenJPEG allocate more samples than the caller allows. Thrown before any native call, so the
 * reader stays usable; the request, not the file, is what is too large (a smaller level may still be served).
 */
public final class DecodeLimitException extends OpenJpegException {
    private static final long serialVersionUID = 1L;

    private final long samples;

    public DecodeLimitException(String message, long samples) {
        super(message);
        this.samples = samples;
    }

    /** Samples (all components) OpenJPEG would have allocated. */
    public long samples() {
        return samples;
    }
}
