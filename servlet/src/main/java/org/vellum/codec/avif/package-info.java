/**
 * The AVIF encoder: libavif 0.11 (Debian {@code libavif15}, with libaom, rav1e or SVT-AV1 underneath) through JNA.
 * <p>
 * {@link org.vellum.codec.avif.AvifLibrary} mirrors the encoding half of avif.h and is called only from this package.
 * {@link org.vellum.codec.avif.Avif} loads it (or says why it cannot) and an {@link org.vellum.codec.avif.AvifWriter}
 * frees every native object of an encode before it returns. The library is optional: without it {@code .avif} is
 * neither advertised nor served.
 */
package org.vellum.codec.avif;
