/**
 * The WebP encoder: libwebp's one-call lossy encoder and libwebpmux for the ICC profile, through JNA.
 * <p>
 * {@link org.vellum.codec.webp.WebPLibrary} and {@link org.vellum.codec.webp.WebPMuxLibrary} mirror the functions of
 * encode.h and mux.h that are used, and are called only from this package. {@link org.vellum.codec.webp.WebP} loads
 * them (or says why it cannot) and a {@link org.vellum.codec.webp.WebPEncoder} frees every native buffer of an encode
 * before it returns. The libraries are optional: without them {@code .webp} is neither advertised nor served.
 */
package org.vellum.codec.webp;
