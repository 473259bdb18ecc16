/**
 * The native JPEG encoder: libjpeg-turbo's TurboJPEG 2 API (libturbojpeg, Debian {@code libturbojpeg0}) through JNA.
 * <p>
 * {@link org.vellum.codec.turbojpeg.TurboJpegLibrary} mirrors the compression functions of turbojpeg.h and is called
 * only from this package. {@link org.vellum.codec.turbojpeg.TurboJpeg} loads it (or says why it cannot), and a
 * {@link org.vellum.codec.turbojpeg.JpegCompressor} owns one handle and every native buffer of an encode. No
 * Structures and no thread-local state, so any thread may encode, and nothing outlives the class loader but what JNA
 * itself keeps. The library is optional: {@code org.vellum.image.Encoders} falls back to ImageIO without it.
 */
package org.vellum.codec.turbojpeg;
