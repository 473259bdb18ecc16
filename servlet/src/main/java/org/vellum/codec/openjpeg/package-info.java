/**
 * The native JPEG 2000 layer: libopenjp2 (2.5+) through JNA.
 * <p>
 * {@link org.vellum.codec.openjpeg.OpenJpegLibrary} mirrors openjpeg.h and is called only from this package.
 * {@link org.vellum.codec.openjpeg.Jp2Reader} and {@link org.vellum.codec.openjpeg.Jp2Writer} own every native pointer and
 * turn failures into {@link org.vellum.codec.openjpeg.OpenJpegException} carrying OpenJPEG's messages.
 * <p>
 * Known limits: a reader is for one thread at a time (pool it); on tiled files every intersecting tile is decoded whole at
 * the requested reduce; colour management (ICC) and eYCC conversion are left to the caller; alpha is known from the JP2
 * cdef box only (raw codestreams have none); OpenJPEG runs in-process, so files from untrusted sources should be validated
 * in a child process first.
 */
package org.vellum.codec.openjpeg;
