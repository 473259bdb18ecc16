package org.vellum.image;

/**
 * Encodings the server writes: JPEG, PNG, TIFF and GIF always (the JDK's writers, TurboJPEG for JPEG when present);
 * WebP and AVIF only where libwebp and libavif are installed ({@link Encoders#available}).
 */
public enum OutputFormat {
    JPEG("image/jpeg", "jpg", false),
    PNG("image/png", "png", true),
    TIFF("image/tiff", "tif", true),
    GIF("image/gif", "gif", true),
    WEBP("image/webp", "webp", true),
    AVIF("image/avif", "avif", true);

    private final String mediaType;
    private final String extension;
    private final boolean alpha;

    OutputFormat(String mediaType, String extension, boolean alpha) {
        this.mediaType = mediaType;
        this.extension = extension;
        this.alpha = alpha;
    }

    /** Whether the encoding keeps transparency (GIF as one transparent palette entry). */
    public boolean supportsAlpha() {
        return alpha;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }
}
