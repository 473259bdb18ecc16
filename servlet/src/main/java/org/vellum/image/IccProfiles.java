package org.vellum.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ICC profiles of the images served: each distinct profile is parsed and checked once, and its conversions to
 * sRGB (LittleCMS, through java.awt.color) are kept for reuse. A profile that cannot be parsed or does not describe
 * the image's bands is ignored with one warning per file version: the image is then served as it is stored.
 */
final class IccProfiles {
    private static final Logger LOG = LoggerFactory.getLogger(IccProfiles.class);
    private static final int KEPT = 256;
    /** Pixels converted per step: bounds the byte buffers whatever the output's size. */
    private static final int STRIP_PIXELS = 1 << 16;
    /** Converters kept per profile, about one per thread that converts at once. */
    private static final int OPS_PER_PROFILE = 8;

    /**
     * A usable profile.
     *
     * @param bytes the profile as the file holds it (embedded unchanged)
     * @param grey  a grey profile (one band), else RGB (three)
     */
    record Profile(byte[] bytes, boolean grey, ICC_Profile icc, ConcurrentLinkedQueue<ColorConvertOp> ops) {
    }

    /** By content: archives tend to tag many files with the same few profiles. */
    private final Map<ByteBuffer, Optional<Profile>> parsed = lru();
    private final Set<String> warned = Collections.newSetFromMap(lru());

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > KEPT;
            }
        };
    }

    /** The image's usable profile, or null when it has none or an unusable one ({@code file} names it in the log). */
    Profile of(ImageInfo info, String file) {
        byte[] bytes = info.iccProfile();
        if (bytes == null || bytes.length == 0) return null;
        Optional<Profile> p;
        ByteBuffer key = ByteBuffer.wrap(bytes);
        synchronized (parsed) {
            p = parsed.get(key);
        }
        if (p == null) {
            p = parse(bytes);
            synchronized (parsed) {
                parsed.put(key, p);
            }
        }
        String problem = p.isEmpty() ? "cannot be used" : p.get().grey() != (info.colourBands() == 1)
                ? "is for " + (p.get().grey() ? "grey" : "RGB") + " but the image has " + info.colourBands() + " colour bands"
                : null;
        if (problem == null) return p.get();
        boolean first;
        synchronized (warned) {
            first = warned.add(file);
        }
        if (first) LOG.warn("Ignoring the ICC profile of {}: it {}; served as stored", file, problem);
        return null;
    }

    /** A grey or RGB profile that LittleCMS converts to sRGB, or empty. */
    static Optional<Profile> parse(byte[] bytes) {
        try {
            ICC_Profile icc = ICC_Profile.getInstance(bytes);
            int type = icc.getColorSpaceType();
            if (type != ColorSpace.TYPE_GRAY && type != ColorSpace.TYPE_RGB) return Optional.empty();
            new ICC_ColorSpace(icc);        // refuses profile classes that are no colour space (links, abstract)
            Profile p = new Profile(bytes, type == ColorSpace.TYPE_GRAY, icc, new ConcurrentLinkedQueue<>());
            convertStrip(p, new byte[p.grey() ? 1 : 3], new byte[3], 1, 1);   // fails now, not on a request
            return Optional.of(p);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The pixels in sRGB (grey stays grey: the sRGB grey of the same lightness); alpha is kept. A new array. */
    static Pixels toSrgb(Pixels p, Profile profile) {
        int w = p.width();
        int[] in = p.argb();
        int[] out = new int[in.length];
        int rows = Math.max(1, Math.min(p.height(), STRIP_PIXELS / Math.max(1, w)));
        int bands = profile.grey() ? 1 : 3;
        byte[] src = new byte[w * rows * bands];
        byte[] dst = new byte[w * rows * 3];
        for (int y0 = 0; y0 < p.height(); y0 += rows) {
            int h = Math.min(rows, p.height() - y0);
            int first = y0 * w;
            int n = w * h;
            for (int i = 0; i < n; i++) {
                int c = in[first + i];
                if (bands == 1) {
                    src[i] = (byte) c;
                } else {
                    src[3 * i] = (byte) (c >> 16);
                    src[3 * i + 1] = (byte) (c >> 8);
                    src[3 * i + 2] = (byte) c;
                }
            }
            convertStrip(profile, src, dst, w, h);
            for (int i = 0; i < n; i++) {
                int alpha = in[first + i] & 0xFF000000;
                if (bands == 1) {
                    int g = dst[3 * i + 1] & 0xFF;   // a neutral grey comes out with R = G = B
                    out[first + i] = alpha | g << 16 | g << 8 | g;
                } else {
                    out[first + i] = alpha | (dst[3 * i] & 0xFF) << 16 | (dst[3 * i + 1] & 0xFF) << 8 | dst[3 * i + 2] & 0xFF;
                }
            }
        }
        return new Pixels(w, p.height(), out, p.bands());
    }

    /**
     * Converts w x h interleaved bytes. ColorConvertOp keeps its LittleCMS transform between calls but is not made
     * for sharing between threads, so each thread borrows one of the profile's.
     */
    private static void convertStrip(Profile profile, byte[] src, byte[] dst, int w, int h) {
        int bands = profile.grey() ? 1 : 3;
        ColorConvertOp op = profile.ops().poll();
        if (op == null) {
            op = new ColorConvertOp(new ICC_Profile[] {profile.icc(), ICC_Profile.getInstance(ColorSpace.CS_sRGB)},
                    null);
        }
        Raster in = Raster.createInterleavedRaster(new DataBufferByte(src, src.length), w, h, w * bands, bands,
                bands == 1 ? new int[] {0} : new int[] {0, 1, 2}, null);
        WritableRaster out = Raster.createInterleavedRaster(new DataBufferByte(dst, dst.length), w, h, w * 3, 3,
                new int[] {0, 1, 2}, null);
        op.filter(in, out);
        if (profile.ops().size() < OPS_PER_PROFILE) profile.ops().offer(op);
    }
}
