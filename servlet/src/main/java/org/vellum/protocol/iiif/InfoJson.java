package org.vellum.protocol.iiif;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vellum.image.Dimension;
import org.vellum.image.Encoders;
import org.vellum.image.ImageInfo;
import org.vellum.image.OutputFormat;

/**
 * The image information document of each version. Sizes list every level (smallest first) that the limits allow;
 * tiles are 256 x 256 with a scale factor for each level the file stores, down to the first level that fits in one
 * tile (below that a level would be made by downscaling, not decoded).
 */
public final class InfoJson {
    /** Formats beyond level 2's jpg and png that the JDK encodes, so every server has them. */
    static final List<String> EXTRA_FORMATS = List.of("tif", "gif");

    /** {@link #EXTRA_FORMATS}, then webp and avif where libwebp and libavif load on this machine. */
    static List<String> extraFormats() {
        List<String> formats = new ArrayList<>(EXTRA_FORMATS);
        for (OutputFormat f : List.of(OutputFormat.WEBP, OutputFormat.AVIF)) {
            if (Encoders.available(f)) formats.add(f.extension());
        }
        return formats;
    }

    /** Features beyond level 2 in Image API 3. */
    static final List<String> EXTRA_FEATURES_3 = List.of("canonicalLinkHeader", "mirroring", "profileLinkHeader",
            "rotationArbitrary", "sizeUpscaling");

    /** Image API 2's "supports": every feature this server offers. */
    static final List<String> SUPPORTS_2 = List.of("baseUriRedirect", "canonicalLinkHeader", "cors",
            "jsonldMediaType", "mirroring", "profileLinkHeader", "regionByPct", "regionByPx", "regionSquare",
            "rotationArbitrary", "rotationBy90s", "sizeAboveFull", "sizeByConfinedWh", "sizeByDistortedWh",
            "sizeByForcedWh", "sizeByH", "sizeByPct", "sizeByW", "sizeByWh", "sizeByWhListed");

    private InfoJson() {
    }

    public static Map<String, Object> v3(String id, ImageInfo info, Size.Limits limits) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@context", IiifVersion.V3.context());
        doc.put("id", id);
        doc.put("type", "ImageService3");
        doc.put("protocol", "http://iiif.io/api/image");
        doc.put("profile", "level2");
        doc.put("width", info.width());
        doc.put("height", info.height());
        putLimits(doc, limits);
        doc.put("sizes", sizes(info, limits));
        doc.put("tiles", tiles(info));
        doc.put("extraFormats", extraFormats());
        doc.put("extraQualities", qualities(info, false));
        List<String> features = new ArrayList<>(EXTRA_FEATURES_3);
        if (!limits.upscalingAllowed()) features.remove("sizeUpscaling");
        doc.put("extraFeatures", features);
        Map<String, Object> physical = physicalDimensions(info);
        if (physical != null) doc.put("service", List.of(physical));
        return doc;
    }

    public static Map<String, Object> v2(String id, ImageInfo info, Size.Limits limits) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@context", IiifVersion.V2.context());
        doc.put("@id", id);
        doc.put("protocol", "http://iiif.io/api/image");
        doc.put("width", info.width());
        doc.put("height", info.height());
        doc.put("sizes", sizes(info, limits));
        doc.put("tiles", tiles(info));
        Map<String, Object> profile = new LinkedHashMap<>();
        List<String> formats = new ArrayList<>(List.of("jpg", "png"));
        formats.addAll(extraFormats());
        profile.put("formats", formats);
        profile.put("qualities", qualities(info, true));
        List<String> supports = new ArrayList<>(SUPPORTS_2);
        if (!limits.upscalingAllowed()) supports.remove("sizeAboveFull");
        profile.put("supports", supports);
        putLimits(profile, limits);
        doc.put("profile", List.of(IiifVersion.V2.level2Profile(), profile));
        Map<String, Object> physical = physicalDimensions(info);
        if (physical != null) doc.put("service", physical);
        return doc;
    }

    /**
     * The IIIF Physical Dimensions service (Services annex) for a file that records its resolution: a pixel's width
     * in centimetres. The annex defines it with @context and profile only; Image API 3 lists services in an array.
     */
    static Map<String, Object> physicalDimensions(ImageInfo info) {
        if (info.resolution() == null) return null;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("@context", "http://iiif.io/api/annex/services/physdim/1/context.json");
        s.put("profile", "http://iiif.io/api/annex/services/physdim");
        s.put("physicalScale", 1 / info.resolution().horizontalPerCm());
        s.put("physicalUnits", "cm");
        return s;
    }

    /** MAX_CVT gives maxWidth and maxHeight unless it is unlimited; maxArea is always bounded. */
    private static void putLimits(Map<String, Object> doc, Size.Limits limits) {
        if (limits.maxWidth() < Integer.MAX_VALUE) {
            doc.put("maxWidth", limits.maxWidth());
            doc.put("maxHeight", limits.maxHeight());
        }
        doc.put("maxArea", limits.maxArea());
    }

    /** color only for colour images (a grey image has no colour to give; asking for it still works). */
    private static List<String> qualities(ImageInfo info, boolean withDefault) {
        List<String> q = new ArrayList<>();
        if (withDefault) q.add("default");
        if (info.colourBands() >= 3) q.add("color");
        q.add("gray");
        q.add("bitonal");
        return q;
    }

    static List<Map<String, Object>> sizes(ImageInfo info, Size.Limits limits) {
        List<Map<String, Object>> sizes = new ArrayList<>();
        for (Dimension wh : info.levelsSmallestFirst()) {
            if (wh.width() > limits.maxWidth() || wh.height() > limits.maxHeight() || (long) wh.width() * wh.height() > limits.maxArea()) {
                continue;                                   // a size the limits refuse is no help to a client
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("width", wh.width());
            s.put("height", wh.height());
            sizes.add(s);
        }
        return sizes;
    }

    /** 1, 2, 4, … for the stored levels, down to the first level that fits in one tile. */
    static List<Integer> scaleFactors(ImageInfo info) {
        int last = Math.min(info.storedReductions(), info.resolutionNumber() - 1);
        List<Integer> factors = new ArrayList<>();
        for (int d = 0; d <= last; d++) factors.add(1 << d);
        return factors;
    }

    private static List<Map<String, Object>> tiles(ImageInfo info) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("width", ImageInfo.TILE_SIZE);
        t.put("height", ImageInfo.TILE_SIZE);
        t.put("scaleFactors", scaleFactors(info));
        return List.of(t);
    }
}
