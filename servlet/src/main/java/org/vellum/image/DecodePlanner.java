package org.vellum.image;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.ResolvedImage;
import org.vellum.memory.Demand;
import org.vellum.memory.MemoryBudget;
import org.vellum.pool.DecoderKey;
import org.vellum.pool.DecoderPool;

/**
 * Decides how an area of one stored level is decoded, and so which investments a request makes: a decoder kept open,
 * a level decoded whole, a level split among several decoders. The first request for an image and level costs one
 * window decode and leaves nothing behind; investments follow demand, the decayed count of recent requests for the
 * same image and level ({@link Demand}), so they go to images that are being viewed. What they may hold together is
 * bounded by the {@link MemoryBudget}, which gives up the least valuable first.
 * <p>
 * A single-tile file's decoder reads a copy of the file cut to its level (and, for a window, to the area), in memory
 * ({@code Jp2Reader.open(Path, int, int, int[])}): OpenJPEG 2.5 otherwise parses every packet of the tile.
 */
final class DecodePlanner {
    private static final Logger LOG = LoggerFactory.getLogger(DecodePlanner.class);

    /** The request for an image and level (counted with decay) from which its decoder is kept open. */
    static final int KEEP_AT = 2;
    /** The request from which the finest levels of a large single-tile file get a decoder per quarter. */
    static final int SPLIT_AT = 4;
    /**
     * A level is decoded whole once requests for it, decayed, reach this share of the requests that would cover it:
     * decoding a whole level costs what about a quarter of its tiles cost one by one.
     */
    static final double WHOLE_LEVEL_SHARE = 0.25;
    /** Level pixels that the regions of a split single-tile level are aligned to. */
    static final int REGION_ALIGN = 1024;
    /** Images and levels whose demand is remembered; the least asked for are forgotten beyond this. */
    private static final int REMEMBERED = 20_000;

    /** Whether the whole level is decoded and kept ({@link LevelCache}). */
    enum Whole {
        /** no */
        NO,
        /** now, by this request, which covers about the whole level anyway; its area is then cut from it */
        NOW,
        /** on the level cache's thread, while this request decodes its own area as planned */
        BACKGROUND
    }

    /**
     * How one area is decoded.
     *
     * @param key   the decoder to use (for {@link Whole#NOW}: the level's)
     * @param keep  keep the decoder open afterwards
     * @param whole whether the level is decoded whole
     * @param level the decoder for decoding the level whole, when it is
     */
    record Plan(DecoderKey key, boolean keep, Whole whole, DecoderKey level) {
    }

    /**
     * @param windows     decodes with a decoder opened for them alone and closed after
     * @param kept        decodes with a decoder kept open
     * @param wholeLevels decisions to decode a level whole
     * @param split       decodes by a decoder of one quarter of a level
     * @param refused     decodes that would have kept a decoder, done as windows because it would have pushed out a
     *                    investment of about its worth ({@link MemoryBudget#admits}); counted in {@code windows} too
     */
    record Stats(long windows, long kept, long wholeLevels, long split, long refused) {
    }

    private final LevelCache levels;
    private final MemoryBudget budget;
    private final ConcurrentHashMap<String, Demand> demand = new ConcurrentHashMap<>();
    private final AtomicLong windows = new AtomicLong();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong wholeLevels = new AtomicLong();
    private final AtomicLong split = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final DecoderPool pool;

    DecodePlanner(LevelCache levels, MemoryBudget budget, DecoderPool pool) {
        this.levels = levels;
        this.budget = budget;
        this.pool = pool;
    }

    /**
     * The plan for level-d pixels [lx0,lx1) x [ly0,ly1) of the image, counting this request as demand. A level decoded
     * whole is decoded in bands no larger than one decode step may be (MAX_DECODE_PIXELS), so its size is bounded only
     * by the level cache ({@link LevelCache#keeps}).
     */
    Plan plan(ResolvedImage image, ImageInfo info, int d, int layers, int lx0, int lx1, int ly0, int ly1) {
        long levelPixels = (long) info.levelWidth(d) * info.levelHeight(d);
        long area = Math.max(1L, (long) (lx1 - lx0) * (ly1 - ly0));
        // the n-th request in a row counts as n even though the earlier ones have decayed a little
        double asked = demandOf(levelKey(image, d, layers)).use() + 0.5;
        Whole whole = Whole.NO;
        DecoderKey levelDecoder = info.singleTile() ? new DecoderKey(image.path(), layers, d)
                : new DecoderKey(image.path(), layers);
        if (levels.keeps(levelPixels, info.bands(), info.singleTile()) && asked >= wholeLevelAt(levelPixels, area)) {
            wholeLevels.incrementAndGet();
            if (levelPixels <= Math.max(area, 256L * 256)) {
                return log(image, d, asked, new Plan(levelDecoder, !info.singleTile() && keepTiled(image),
                        Whole.NOW, levelDecoder));
            }
            whole = Whole.BACKGROUND;
        }
        if (!info.singleTile()) {
            // a tiled file's decoder serves every level; it holds one tile, so keeping it is cheap
            boolean keep = keepTiled(image);
            (keep ? kept : windows).incrementAndGet();
            return log(image, d, asked, new Plan(new DecoderKey(image.path(), layers), keep, whole, levelDecoder));
        }
        DecoderKey.Region quarter = asked >= SPLIT_AT ? quarterOf(image, info, d, lx0, lx1, ly0, ly1) : null;
        DecoderKey keep = new DecoderKey(image.path(), layers, d, quarter);
        if (asked < KEEP_AT || !admits(keep, image, info, d, asked)) {
            windows.incrementAndGet();
            DecoderKey.Region window = region(info, d, lx0, lx1, ly0, ly1);
            return log(image, d, asked, new Plan(new DecoderKey(image.path(), layers, d, window), false, whole,
                    levelDecoder));
        }
        (quarter != null ? split : kept).incrementAndGet();
        return log(image, d, asked, new Plan(keep, true, whole, levelDecoder));
    }

    /**
     * Whether a single-tile file's decoder {@code key} may be kept open: it fits in the memory budget, or it is worth
     * more per byte than what it would push out ({@link MemoryBudget#admits}). Its bytes are what a decoder of its level was seen to hold (at least an estimate from the geometry:
     * OpenJPEG's structures for the whole tile at that level, plus the level's share of the codestream); its worth is
     * its demand times what setting up a kept decoder has cost per byte lately. When many images are each asked for
     * a few times, none of their decoders would be used again before being pushed out, and each would cost more to
     * set up than a window decode: they are then decoded as windows and the decoders already kept stay.
     */
    private boolean admits(DecoderKey key, ResolvedImage image, ImageInfo info, int d, double asked) {
        if (pool == null) return true;
        double msPerByte = pool.setUpMsPerByte();
        if (msPerByte <= 0) return true;
        long levelPixels = (long) info.levelWidth(d) * info.levelHeight(d);
        long estimate = levelPixels * info.components() / 8 + (image.size() >> Math.min(62, 2 * d));
        long bytes = Math.max(estimate, pool.levelDecoderBytes(key));
        if (budget.admits(bytes, Math.min(asked, Demand.SATURATION) * msPerByte)) return true;
        refused.incrementAndGet();
        return false;
    }

    /**
     * The request (n-th in a row) from which a level is decoded whole: at once when the area is about the whole level
     * (it costs the same), else once {@link #WHOLE_LEVEL_SHARE} of the requests that cover it have come, and never on
     * a first one; then in the background, so that no request waits for it.
     */
    static int wholeLevelAt(long levelPixels, long area) {
        long request = Math.max(area, 256L * 256);
        if (levelPixels <= request) return 1;
        return (int) Math.max(KEEP_AT, Math.ceil(WHOLE_LEVEL_SHARE * levelPixels / request));
    }

    private boolean keepTiled(ResolvedImage image) {
        return demandOf(image.path() + "@" + image.fingerprint()).use() + 0.5 >= KEEP_AT;
    }

    private static Plan log(ResolvedImage image, int d, double asked, Plan plan) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} reduce {} (demand {}): {}{}", image.path().getFileName(), d, String.format("%.1f", asked),
                    plan.whole() == Whole.NOW ? "whole level" : plan.keep() ? "kept decoder"
                            + (plan.key().region() == null ? "" : " of " + plan.key().region()) : "window",
                    plan.whole() == Whole.BACKGROUND ? ", whole level in the background" : "");
        }
        return plan;
    }

    /** One level (and layer count) of one version of an image's file: the key of its demand and of its whole level. */
    static String levelKey(ResolvedImage image, int d, int layers) {
        return image.path() + "@" + image.fingerprint() + "#" + d + "/" + layers;
    }

    private Demand demandOf(String key) {
        Demand found = demand.get(key);
        if (found != null) return found;
        if (demand.size() >= REMEMBERED) forgetLeastAsked();
        return demand.computeIfAbsent(key, k -> new Demand());
    }

    /** Forgets the images and levels asked for least, down to three quarters of what is remembered. */
    private synchronized void forgetLeastAsked() {
        if (demand.size() < REMEMBERED) return;
        double[] counts = demand.values().stream().mapToDouble(Demand::now).sorted().toArray();
        double cut = counts[counts.length / 4];
        for (Iterator<Map.Entry<String, Demand>> it = demand.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().now() <= cut) it.remove();
        }
    }

    /**
     * The quarter of level d of a single-tile file whose decoder decodes level-d pixels [lx0,lx1) x [ly0,ly1), or null
     * for a decoder of the whole level. Only the two finest levels, and only when too large for the level cache to keep
     * whole ({@link LevelCache#keeps}), are split, in two along each side at a multiple of {@link #REGION_ALIGN} (tiles
     * of 256 to 1024 then never straddle a boundary), and only when a level's four decoders (each keeps structures for
     * the whole tile) fit in a quarter of the memory budget. An area across a boundary is decoded by a decoder of the
     * whole level.
     */
    private DecoderKey.Region quarterOf(ResolvedImage image, ImageInfo info, int d, int lx0, int lx1, int ly0,
                                        int ly1) {
        int lw = info.levelWidth(d);
        int lh = info.levelHeight(d);
        if (d > 1 || levels.keeps((long) lw * lh, info.bands(), true)) return null;
        long structures = (long) info.width() * info.height() * info.components() / 8;
        if (4 * (structures + image.size() / 3) > budget.limit() / 4) return null;
        int bx = split(lw);
        int by = split(lh);
        if (lx0 < bx && lx1 > bx || ly0 < by && ly1 > by) return null;
        int rx0 = lx0 < bx ? 0 : bx;
        int rx1 = lx0 < bx ? bx : lw;
        int ry0 = ly0 < by ? 0 : by;
        int ry1 = ly0 < by ? by : lh;
        return region(info, d, rx0, rx1, ry0, ry1);
    }

    /** The image area of level-d pixels [lx0,lx1) x [ly0,ly1), as a decoder's region (never empty). */
    private static DecoderKey.Region region(ImageInfo info, int d, int lx0, int lx1, int ly0, int ly1) {
        Rect r = info.toFull(new Rect(lx0, ly0, lx1 - lx0, ly1 - ly0), d);
        int x = Math.min(info.width() - 1, r.x());
        int y = Math.min(info.height() - 1, r.y());
        return new DecoderKey.Region(x, y, Math.max(1, r.x() + r.width() - x), Math.max(1, r.y() + r.height() - y));
    }

    /** Where a side of {@code length} level pixels is split: half of it rounded up to a multiple of REGION_ALIGN. */
    private static int split(int length) {
        int half = (length + 1) / 2;
        return (half + REGION_ALIGN - 1) / REGION_ALIGN * REGION_ALIGN;
    }

    Stats stats() {
        return new Stats(windows.get(), kept.get(), wholeLevels.get(), split.get(), refused.get());
    }
}
