package org.vellum.image;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.cache.OutputCache;
import org.vellum.codec.openjpeg.DecodeLimitException;
import org.vellum.codec.openjpeg.Jp2Size;
import org.vellum.codec.openjpeg.OpenJpegException;
import org.vellum.codec.openjpeg.Raster;
import org.vellum.codec.webp.WebPEncoder;
import org.vellum.config.Settings;
import org.vellum.memory.MemoryBudget;
import org.vellum.pool.DecoderKey;
import org.vellum.pool.DecoderPool;
import org.vellum.api.Caller;
import org.vellum.api.ForbiddenPathException;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageObject;
import org.vellum.api.ImageResolver;
import org.vellum.api.ImageSequence;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;

/**
 * The one way from an {@link ImageRequest} to encoded bytes: pick the smallest stored level that still has enough
 * pixels, decode only the area needed there (in bands when it is large), scale, apply the pixel operations and
 * orientation, encode. The engine does not know which protocol asked.
 */
public final class ImageEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ImageEngine.class);
    private static final int INFO_CACHE_SIZE = 1000;
    private static final long STATS_EVERY_NANOS = 10_000_000_000L;

    /** Outputs above this many pixels are made one at a time, so a few large exports cannot exhaust the heap. */
    private static final long LARGE_OUTPUT = 4L << 20;

    /**
     * Native samples a decode step may need, per MAX_DECODE_PIXELS: OpenJPEG decodes whole tiles in native memory,
     * outside the Java heap; 16 leaves room for 2048x2048 RGB tiles at the smallest default (1 M, heaps under 64 MB)
     * and 4096x4096 RGB tiles from a 256 MB heap (4 M).
     */
    private static final long NATIVE_SAMPLES_PER_DECODE_PIXEL = 16;

    private final Settings settings;
    private final Semaphore largeRenders = new Semaphore(1, true);
    private final ImageResolver resolver;
    private final DecoderPool pool;
    private final OutputCache cache;
    private final LevelCache levels;
    private final AtomicLong lastStats = new AtomicLong(System.nanoTime());
    private final AtomicLong fileFailures = new AtomicLong();
    private final AtomicLong limitFailures = new AtomicLong();
    private final AtomicLong regionFailures = new AtomicLong();
    private final AtomicLong internalFailures = new AtomicLong();
    private final MemoryBudget budget;
    private final DecodePlanner planner;
    private final IccProfiles profiles = new IccProfiles();
    private final Map<String, ImageInfo> infoCache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ImageInfo> eldest) {
            return size() > INFO_CACHE_SIZE;
        }
    };

    /** As {@link #ImageEngine(Settings, ImageResolver, DecoderPool, OutputCache, MemoryBudget)} without a bound. */
    public ImageEngine(Settings settings, ImageResolver resolver, DecoderPool pool, OutputCache cache) {
        this(settings, resolver, pool, cache, MemoryBudget.unlimited());
    }

    /**
     * @param cache  where encoded images are kept; its owner closes it
     * @param budget the memory bound the whole levels this engine keeps share with the pool's decoders and the cache
     */
    public ImageEngine(Settings settings, ImageResolver resolver, DecoderPool pool, OutputCache cache,
                       MemoryBudget budget) {
        this.settings = settings;
        this.resolver = resolver;
        this.pool = pool;
        this.cache = cache;
        this.budget = budget;
        this.levels = new LevelCache(settings.levelCacheBytes(), budget);
        this.planner = new DecodePlanner(levels, budget, pool);
    }

    /**
     * What the engine holds and has done: decoders, the memory budget, whole levels, the planner's choices and the
     * output cache. Logged at debug level now and then under load.
     */
    public EngineStats stats() {
        DecodePlanner.Stats p = planner.stats();
        return new EngineStats(pool.stats(), budget.stats(),
                levels.stats(),
                new EngineStats.Plans(p.windows(), p.kept(), p.wholeLevels(), p.split(), p.refused()), cache.stats(),
                new EngineStats.Failures(fileFailures.get(), limitFailures.get(), regionFailures.get(),
                        internalFailures.get()));
    }

    /** Waits until the whole levels being decoded in the background are kept; false on timeout (tests). */
    public boolean awaitInvestments(long timeout, TimeUnit unit) throws InterruptedException {
        return levels.awaitBackground(timeout, unit);
    }

    /** Stops the level decodes under way and leaves the memory budget; the pool and the cache are closed by their owner. */
    public void close() {
        levels.close();
    }

    public Settings settings() {
        return settings;
    }

    public DecoderPool pool() {
        return pool;
    }

    public OutputCache cache() {
        return cache;
    }

    public ResolvedImage resolve(String identifier) throws ImageException {
        return resolve(identifier, null);
    }

    /** Resolves on behalf of the request's caller (its headers may carry credentials a resolver checks). */
    public ResolvedImage resolve(String identifier, Caller ctx) throws ImageException {
        return ask(r -> r.resolve(identifier, ctx));
    }

    /** One question to the resolver. */
    private interface Question<T> {
        T ask(ImageResolver resolver) throws ImageNotFoundException, ForbiddenPathException, ResolverException;
    }

    /** The resolver's answer, its refusals as the HTTP errors they stand for (404, 403, or the resolver's own). */
    private <T> T ask(Question<T> question) throws ImageException {
        try {
            return question.ask(resolver);
        } catch (ImageNotFoundException e) {
            throw new ImageException(404, e.getMessage());
        } catch (ForbiddenPathException e) {
            throw new ImageException(403, e.getMessage());
        } catch (ResolverException e) {
            throw new ImageException(e.status(), e.getMessage(), e);
        }
    }

    /** The image sequence {@code identifier} names, or null (a single image, or nothing). */
    public ImageSequence sequence(String identifier, Caller ctx) throws ImageException {
        return ask(r -> r.sequence(identifier, ctx));
    }

    /** The object of several images {@code identifier} names, as the caller may see it (a folder, an item). */
    public ImageObject object(String identifier, Caller ctx) throws ImageException {
        return ask(r -> r.object(identifier, ctx));
    }

    /**
     * The image's full-resolution size alone, for listing many images (a book's manifest): from the header facts when
     * they are known, else read in Java from the file's boxes and SIZ marker, without opening a decoder. Not kept here
     * (whoever lists many keeps what it needs).
     */
    public Dimension size(ResolvedImage image) throws ImageException {
        synchronized (infoCache) {
            ImageInfo cached = infoCache.get(versionKey(image));
            if (cached != null) return new Dimension(cached.width(), cached.height());
        }
        try {
            Jp2Size s = Jp2Size.read(image.path());
            return new Dimension(s.width(), s.height());
        } catch (OpenJpegException e) {
            fileFailures.incrementAndGet();
            LOG.warn("Cannot read the size of {}: {}", image.path(), e.getMessage());
            throw new ImageException(404, "Cannot read " + image.identifier() + ": " + hidePath(e.getMessage(), image),
                    e);
        }
    }

    /** What the header facts of one version of an image's file are kept under. */
    private static String versionKey(ResolvedImage image) {
        return image.path() + "@" + image.fingerprint();
    }

    /** The image's header facts; parsed once per file version. */
    public ImageInfo info(ResolvedImage image) throws ImageException {
        String key = versionKey(image);
        synchronized (infoCache) {
            ImageInfo cached = infoCache.get(key);
            if (cached != null) return cached;
        }
        // read once per file version (kept below): the decoder is not kept for it
        ImageInfo info = withDecoder(image, 0, DecoderKey.ANY_REDUCE, false, reader -> {
            // A header that no level of which can be decoded within the limits is refused here, not tile by tile.
            long least = reader.minimumNativeSamples();
            if (least > nativeLimit()) {
                throw new DecodeLimitException("even its smallest level needs " + least
                        + " samples at once; the limit is " + nativeLimit(), least);
            }
            return ImageInfo.of(reader.header());
        });
        synchronized (infoCache) {
            infoCache.put(key, info);
        }
        return info;
    }

    /**
     * The request's image, encoded in its format at its quality: from the output cache (this node's memory, then
     * memcached) when it is there, else rendered and encoded once however many ask for it at the same time. Every
     * protocol's image output comes through here.
     */
    public byte[] produce(ImageRequest request) throws ImageException {
        requireEncoder(request.format());     // before the caches: what this server cannot write, it does not serve
        byte[] out = cache.get(cacheDescription(request), !request.image().personal(), () -> {
            Rendered r = renderInProfile(request);
            if (r.profile() != null && Encoders.carriesIccProfile(request.format(), r.pixels(), r.profile().bytes(),
                    r.profile().grey())) {
                return encode(r.pixels(), request.format(), request.quality(), r.profile().bytes());
            }
            return encode(r.inSrgb(), request.format(), request.quality(), null);
        });
        logStatsNowAndThen();
        return out;
    }

    /** At debug level, the engine's figures at most every {@link #STATS_EVERY_NANOS}. */
    private void logStatsNowAndThen() {
        if (!LOG.isDebugEnabled()) return;
        long now = System.nanoTime();
        long last = lastStats.get();
        if (now - last >= STATS_EVERY_NANOS && lastStats.compareAndSet(last, now)) LOG.debug("{}", stats());
    }

    /** The request plus the settings that change the bytes of the same request, which nodes may not share. */
    private String cacheDescription(ImageRequest request) {
        String key = request.describe() + "|maxLayers=" + settings.maxLayers() + "|interpolation="
                + settings.interpolation() + "|decodePixels=" + settings.maxDecodePixels() + "|icc="
                + settings.iccProfiles();
        return switch (request.format()) {
            case WEBP -> key + "|webp=" + settings.webpQuality();
            case AVIF -> key + "|avif=" + settings.avifQuality() + "/" + settings.avifSpeed();
            default -> key;
        };
    }

    /**
     * Rendered pixels and the ICC profile they are still in (null: sRGB or untagged).
     */
    private record Rendered(Pixels pixels, IccProfiles.Profile profile) {
        Pixels inSrgb() {
            return profile == null ? pixels : IccProfiles.toSrgb(pixels, profile);
        }
    }

    /** Produces the request's pixels, oriented and coloured, in sRGB (when the file says what its colours are). */
    public Pixels render(ImageRequest request) throws ImageException {
        return renderInProfile(request).inSrgb();
    }

    /**
     * The request's pixels, oriented and coloured, ready to encode. An image's ICC profile is applied first when
     * ICC_PROFILES=convert or the request computes on colours (gray, bitonal, pixel operations), which must see sRGB;
     * otherwise the pixels stay as stored and the profile goes with them, for the encoder to embed or apply.
     */
    private Rendered renderInProfile(ImageRequest request) throws ImageException {
        ImageInfo info = info(request.image());
        Rect region = request.region().clip(info.width(), info.height());
        if (region.isEmpty()) throw new ImageException(400, "Region lies outside the image");
        int ow = request.outWidth();
        int oh = request.outHeight();
        if (ow <= 0 || oh <= 0) throw new ImageException(400, "Empty output size");
        if ((long) ow * oh > Math.max(settings.maxDecodePixels(), (long) settings.maxCvt() * settings.maxCvt())
                || (long) ow * oh > Integer.MAX_VALUE / 2) {
            throw new ImageException(413, "Output of " + ow + "x" + oh + " pixels exceeds the configured limits");
        }
        int layers = settings.layersFor(request.layers(), info.qualityLayers());
        int discard = discardFor(info, region, ow, oh);
        boolean large = (long) ow * oh > LARGE_OUTPUT;
        Pixels p;
        try {
            if (large && !largeRenders.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new ImageException(503, "Busy with other large exports; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(503, "Interrupted");
        }
        try {
            p = decodeScaled(request.image(), info, region, discard, ow, oh, layers);
        } finally {
            if (large) largeRenders.release();
        }
        IccProfiles.Profile icc = profiles.of(info, request.image().path().toString());
        boolean computesColour = !request.ops().isNone() || request.colour() == Quality.GRAY
                || request.colour() == Quality.BITONAL;
        if (icc != null && (computesColour || settings.iccProfiles() == Settings.Icc.CONVERT)) {
            p = IccProfiles.toSrgb(p, icc);
            icc = null;
        }
        p = Transforms.apply(p, request.ops());
        p = Transforms.colour(p, request.colour());
        return new Rendered(Transforms.rotate(p, request.mirror(), request.rotation(), request.format().supportsAlpha()),
                icc);
    }

    /** Encodes, embedding {@code icc} (null: none) as {@link Encoders#encode(Pixels, OutputFormat, int, byte[])}. */
    public byte[] encode(Pixels p, OutputFormat format, int quality, byte[] icc) throws ImageException {
        requireEncoder(format);
        if (format == OutputFormat.WEBP && Math.max(p.width(), p.height()) > WebPEncoder.MAX_SIDE) {
            throw new ImageException(413, "A WebP holds at most " + WebPEncoder.MAX_SIDE + " pixels a side");
        }
        try {
            // WebP and AVIF have their own quality scales, so their settings, not the request's JPEG quality
            return switch (format) {
                case WEBP -> Encoders.webp(p, settings.webpQuality(), icc);
                case AVIF -> Encoders.avif(p, settings.avifQuality(), settings.avifSpeed(), icc);
                default -> Encoders.encode(p, format, quality, icc);
            };
        } catch (IOException e) {
            throw new ImageException(500, "Encoding failed: " + e.getMessage(), e);
        }
    }

    /** 501 for a format whose library this machine lacks (WebP, AVIF); the reason goes to the log, not the client. */
    private static void requireEncoder(OutputFormat format) throws ImageException {
        if (Encoders.available(format)) return;
        LOG.debug("{} requested but not available: {}", format, Encoders.describe(format));
        throw new ImageException(501, "The " + format.extension() + " format is not offered by this server (its "
                + "library is not installed)");
    }

    /** The most reductions after which the region still has at least the output's pixels in both directions. */
    static int discardFor(ImageInfo info, Rect region, int ow, int oh) {
        int d = 0;
        while (d < 30) {
            Rect level = info.toLevel(region, d + 1);
            if (level.width() < ow || level.height() < oh || level.isEmpty()) break;
            d++;
        }
        return d;
    }

    /**
     * Decodes the region at the stored level closest to {@code discard} and scales it to ow x oh. Levels the file does
     * not store are made from the smallest stored one. Large areas are decoded in horizontal bands.
     */
    private Pixels decodeScaled(ResolvedImage image, ImageInfo info, Rect region, int discard, int ow, int oh,
                                int layers) throws ImageException {
        int d = Math.min(discard, info.storedReductions());
        Rect level = info.toLevel(region, d);
        int lx0 = level.x();
        int ly0 = level.y();
        int lx1 = lx0 + level.width();
        int ly1 = ly0 + level.height();
        int sw = Math.max(1, lx1 - lx0);
        int sh = Math.max(1, ly1 - ly0);
        boolean smooth = settings.interpolation() != 0;
        Rect virtual = info.toLevel(region, discard);
        Resampler.Axis ax = axis(virtual.x(), virtual.width(), info.levelOriginX(discard), info.levelOriginX(d),
                discard - d, lx0, sw, ow);
        Resampler.Axis ay = axis(virtual.y(), virtual.height(), info.levelOriginY(discard), info.levelOriginY(d),
                discard - d, ly0, sh, oh);
        long budget = decodeBudget(info);
        if ((long) sw * sh <= budget) {
            Pixels src = decodeLevelRows(image, info, d, lx0, lx1, ly0, ly1, layers);
            if (sw == ow && sh == oh) return src;
            return Resampler.scale(src, ow, oh, ax, ay, smooth);
        }
        int[] out = new int[Math.multiplyExact(ow, oh)];
        int bands = info.bands();
        int rowsPerBand = (int) Math.max(1, Math.min(oh, budget / sw * oh / Math.max(1, sh) - 2));
        for (int oy0 = 0; oy0 < oh; oy0 += rowsPerBand) {
            int oy1 = Math.min(oh, oy0 + rowsPerBand);
            int[] rows = Resampler.sourceRows(oy0, oy1, sh, ay);
            Pixels band = decodeLevelRows(image, info, d, lx0, lx1, ly0 + rows[0], ly0 + rows[1], layers);
            bands = band.bands();
            Resampler.scaleRows(band, rows[0], sw, sh, ax, ay, out, ow, oy0, oy1, smooth);
        }
        return new Pixels(ow, oh, out, bands);
    }

    /**
     * How output pixels map onto the decoded level along one axis. When the output is exactly a level the file does not
     * store, each output pixel stands for its own 2^k block of the stored level (the last one partial), as a stored
     * level would; otherwise the decoded area is stretched over the output.
     */
    private static Resampler.Axis axis(int virtualStart, int virtualLength, long virtualOrigin, long storedOrigin,
                                       int steps, int sourceStart, int source, int output) {
        if (steps > 0 && virtualLength == output) {
            // virtual column t is reference-grid column (origin + t) at its level, 2^steps columns of the stored one
            double f = Math.scalb(1.0, steps);
            return new Resampler.Axis(f, (virtualOrigin + virtualStart) * f - storedOrigin - sourceStart);
        }
        return Resampler.Axis.stretch(source, output);
    }

    /**
     * Level-d pixels [lx0,lx1) x [ly0,ly1) (absolute level coordinates): cut from the whole level when it is kept or the
     * planner decides to keep it now, else decoded as the planner says.
     */
    private Pixels decodeLevelRows(ResolvedImage image, ImageInfo info, int d, int lx0, int lx1, int ly0, int ly1,
                                   int layers) throws ImageException {
        String levelKey = DecodePlanner.levelKey(image, d, layers);
        LevelCache.Level kept = levels.peek(levelKey);
        if (kept != null) return kept.crop(lx0, ly0, lx1 - lx0, ly1 - ly0);
        DecodePlanner.Plan plan = planner.plan(image, info, d, layers, lx0, lx1, ly0, ly1);
        if (plan.whole() == DecodePlanner.Whole.NOW) {
            LevelCache.Level level = levels.get(levelKey, () -> decodeWholeLevel(image, info, d, plan.level(), plan.keep()));
            if (level != null) return level.crop(lx0, ly0, lx1 - lx0, ly1 - ly0);
        } else if (plan.whole() == DecodePlanner.Whole.BACKGROUND) {
            LevelCache.Decoder whole = () -> decodeWholeLevel(image, info, d, plan.level(), false);
            boolean small = (long) info.levelWidth(d) * info.levelHeight(d) <= LevelCache.MAX_LEVEL_PIXELS;
            if (small && levels.decoding(levelKey)) {
                // another request started it: waiting costs less than decoding the same area again beside it; not for
                // a larger level, whose decode (a second or more) would keep this request longer than its own window
                LevelCache.Level level = levels.get(levelKey, whole);
                if (level != null) return level.crop(lx0, ly0, lx1 - lx0, ly1 - ly0);
            } else {
                levels.decodeInBackground(levelKey, whole);
            }
        }
        return decodeArea(image, info, d, lx0, lx1, ly0, ly1, plan.key(), plan.keep());
    }

    /**
     * Level d whole, decoded in bands of about {@link LevelCache#BAND_PIXELS} with {@code key}'s decoder, which is
     * kept between the bands and after the last one only if {@code keep}: every tile of the level is cut from it now.
     */
    private LevelCache.Level decodeWholeLevel(ResolvedImage image, ImageInfo info, int d, DecoderKey key, boolean keep)
            throws ImageException {
        int lw = info.levelWidth(d);
        int lh = info.levelHeight(d);
        LevelCache.Level level = LevelCache.Level.allocate(lw, lh, info.bands());
        if (level == null) return null; // no direct memory left for it now: decode the area alone
        int rows = (int) Math.max(1, Math.min(lh, Math.min(LevelCache.BAND_PIXELS, decodeBudget(info)) / lw));
        for (int y0 = 0; y0 < lh; y0 += rows) {
            int y1 = Math.min(lh, y0 + rows);
            level.put(decodeArea(image, info, d, 0, lw, y0, y1, key, y1 < lh || keep), y0);
        }
        return level;
    }

    /**
     * Decodes level-d pixels [lx0,lx1) x [ly0,ly1) (absolute level coordinates) with the decoder of {@code key};
     * keepDecoder false closes it afterwards instead of keeping it for the next request.
     */
    private Pixels decodeArea(ResolvedImage image, ImageInfo info, int d, int lx0, int lx1, int ly0, int ly1,
                              DecoderKey key, boolean keepDecoder) throws ImageException {
        int x = info.fullX(lx0, d);
        int y = info.fullY(ly0, d);
        int x1 = info.fullX(lx1, d);
        int y1 = info.fullY(ly1, d);
        if ((long) (lx1 - lx0) * (ly1 - ly0) > decodeBudget(info) * 2L) {
            throw new ImageException(413, "Decoding " + (lx1 - lx0) + "x" + (ly1 - ly0)
                    + " pixels at once exceeds MAX_DECODE_PIXELS");
        }
        Raster raster = withDecoder(image, key, keepDecoder,
                reader -> reader.decode(x, y, x1 - x, y1 - y, d, nativeLimit()));
        return Pixels.of(raster, info.bands());
    }

    /**
     * Pixels decoded in one step. MAX_DECODE_PIXELS assumes up to 4 components; a file with more (up to 16 pass the
     * header checks) gets proportionally fewer, because each component is its own int plane on the heap.
     */
    private long decodeBudget(ImageInfo info) {
        return settings.maxDecodePixels() * 4 / Math.max(4, info.components());
    }

    /** OpenJPEG may allocate this many samples for one decode step (whole tiles at the level decoded). */
    private long nativeLimit() {
        return NATIVE_SAMPLES_PER_DECODE_PIXEL * settings.maxDecodePixels();
    }

    /** Messages name the file; answers name the identifier the client sent, never the server's path. */
    private static String hidePath(String message, ResolvedImage image) {
        return message == null ? "" : message.replace(image.path().toString(), image.identifier());
    }

    /**
     * reduce: the level a single-tile file's decoder is for, or {@link DecoderKey#ANY_REDUCE}; keep: false closes the
     * decoder after the work instead of returning it to the pool.
     */
    private <T> T withDecoder(ResolvedImage image, int layers, int reduce, boolean keep,
                              DecoderPool.DecoderWork<T> work) throws ImageException {
        return withDecoder(image, new DecoderKey(image.path(), layers, reduce), keep, work);
    }

    private <T> T withDecoder(ResolvedImage image, DecoderKey key, boolean keep, DecoderPool.DecoderWork<T> work)
            throws ImageException {
        try {
            return pool.withDecoder(key, work, keep);
        } catch (DecodeLimitException e) {
            limitFailures.incrementAndGet();
            throw new ImageException(413, "Cannot decode " + image.identifier() + " at this size: "
                    + hidePath(e.getMessage(), image) + " (MAX_DECODE_PIXELS)", e);
        } catch (OpenJpegException e) {
            // 404 as iipsrv answers file errors: viewers skip a missing tile; the text says what is wrong with the file.
            fileFailures.incrementAndGet();
            LOG.warn("Cannot decode {}: {}", image.path(), e.getMessage());
            throw new ImageException(404, "Cannot decode " + image.identifier() + ": " + hidePath(e.getMessage(), image), e);
        } catch (IllegalArgumentException e) {
            regionFailures.incrementAndGet();
            throw new ImageException(400, "Bad region for " + image.identifier() + ": " + e.getMessage(), e);
        } catch (DecoderPool.Stopped e) {
            // a redeploy or shutdown interrupted it (e.g. a whole level decoding in the background): not a failure
            LOG.debug("Decoding {} stopped: {}", image.path(), e.getMessage());
            throw new ImageException(503, "Stopping; try again", e);
        } catch (RuntimeException e) {
            internalFailures.incrementAndGet();
            LOG.error("Decoder failure on {}", image.path(), e);
            throw new ImageException(500, "Decoder failure on " + image.identifier(), e);
        }
    }
}
