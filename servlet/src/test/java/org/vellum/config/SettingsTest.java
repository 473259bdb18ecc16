package org.vellum.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vellum.api.settings.Setting;
import org.vellum.api.settings.SettingSource;

/** iipsrv's environment variable names, parsed into one immutable settings object. */
class SettingsTest {
    private static Settings env(String... kv) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return Settings.fromEnvironment(m);
    }

    @Test
    void iipsrvEnvironmentNamesAreRead() {
        Settings s = env("FILESYSTEM_PREFIX", "/srv/images/../images", "FILESYSTEM_SUFFIX", ".jp2",
                "JPEG_QUALITY", "90", "MAX_CVT", "3000", "MAX_LAYERS", "3", "CACHE_CONTROL", "no-store",
                "CORS", "*", "BASE_URL", "https://x/iiif/", "ALLOW_UPSCALING", "0", "INTERPOLATION", "0",
                "URI_MAP", "iiif=>IIIF", "VERBOSITY", "5");
        assertEquals(Path.of("/srv/images"), s.filesystemPrefix());
        assertEquals(".jp2", s.filesystemSuffix());
        assertEquals(90, s.jpegQuality());
        assertEquals(3000, s.maxCvt());
        assertEquals(3, s.maxLayers());
        assertEquals("no-store", s.cacheControl());
        assertEquals("*", s.cors());
        assertEquals("https://x/iiif/", s.baseUrl());
        assertFalse(s.allowUpscaling());
        assertEquals(0, s.interpolation());
        assertEquals("iiif=>IIIF", s.uriMap());
        assertEquals(5, s.verbosity());
    }

    @Test
    void defaultsMatchIipsrvWhereNotDeliberatelyChanged() {
        Settings s = Settings.fromEnvironment(Map.of());
        assertEquals(75, s.jpegQuality());
        assertEquals(5000, s.maxCvt());
        assertEquals(-1, s.maxLayers());
        assertEquals("max-age=86400", s.cacheControl());
        assertEquals("*", s.cors(), "deliberately not iipsrv's (none): viewers run on other origins");
        assertTrue(s.allowUpscaling());
        assertEquals(1, s.interpolation());
    }

    @Test
    void theImageCacheIsTenIipsrvMegabytesAndMemcachedIsOffByDefault() {
        Settings s = Settings.fromEnvironment(Map.of());
        assertEquals(10 * 1_024_000L, s.imageCacheBytes());
        assertEquals("", s.memcachedServers());
        assertEquals(86400, s.memcachedTimeout());
    }

    @Test
    void investmentsMayHold320MegabytesTogetherUnlessTold() {
        assertEquals(320 * 1_024_000L, Settings.fromEnvironment(Map.of()).memoryBudgetBytes());
        assertEquals(2 * 1_024_000L, env("MEMORY_BUDGET", "2").memoryBudgetBytes());
        assertEquals(3 * 1_024_000L, env("POOL_MAX_NATIVE_SIZE", "3").memoryBudgetBytes(), "its earlier name");
        assertEquals(2 * 1_024_000L, env("MEMORY_BUDGET", "2", "POOL_MAX_NATIVE_SIZE", "3").memoryBudgetBytes());
        assertEquals(0, env("MEMORY_BUDGET", "-1").memoryBudgetBytes(), "0: nothing stays open idle");
    }

    @Test
    void cacheAndMemcachedSettingsAreReadUnderIipsrvNames() {
        Settings s = env("MAX_IMAGE_CACHE_SIZE", "0.5", "MEMCACHED_SERVERS", " a:11211,b ", "MEMCACHED_TIMEOUT", "60");
        assertEquals(512_000L, s.imageCacheBytes(), "a float, as iipsrv reads it");
        assertEquals("a:11211,b", s.memcachedServers());
        assertEquals(60, s.memcachedTimeout());
        assertEquals(0, env("MAX_IMAGE_CACHE_SIZE", "0").imageCacheBytes(), "0 turns the cache off");
        assertEquals(0, env("MAX_IMAGE_CACHE_SIZE", "-3").imageCacheBytes());
    }

    @Test
    void theDiskCacheIsOffUntilAFolderIsGivenThenHoldsAThousandMegabytes() {
        Settings d = Settings.fromEnvironment(Map.of());
        assertEquals("", d.diskCacheDir());
        assertEquals(1000 * 1_024_000L, d.diskCacheBytes());
        Settings s = env("DISK_CACHE_DIR", " /var/cache/vellum ", "DISK_CACHE_SIZE", "2.5");
        assertEquals("/var/cache/vellum", s.diskCacheDir());
        assertEquals(2_560_000L, s.diskCacheBytes(), "a float, in the same MB as the memory cache");
        assertEquals(0, env("DISK_CACHE_SIZE", "-1").diskCacheBytes(), "0 or less turns it off");
        assertEquals(1000 * 1_024_000L, env("DISK_CACHE_SIZE", "much").diskCacheBytes(), "unreadable: the default");
    }

    @Test
    void maxLayersDefaultMeansAllLayers() {
        Settings s = Settings.fromEnvironment(Map.of());
        assertEquals(0, s.layersFor(0, 8), "0 = every layer for the codec");
        assertEquals(1, s.layersFor(1, 8), "LYR still asks for fewer");
        assertEquals(0, s.layersFor(20, 8));
    }

    @Test
    void maxLayersZeroMeansHalfTheLayersRoundedUp() {
        Settings s = env("MAX_LAYERS", "0");
        assertEquals(4, s.layersFor(0, 8));
        assertEquals(3, s.layersFor(0, 5));
        assertEquals(0, s.layersFor(0, 1), "half of one layer is all of it");
        assertEquals(2, s.layersFor(2, 8));
        assertEquals(4, s.layersFor(7, 8), "LYR cannot go above the cap");
    }

    @Test
    void maxLayersNCapsTheLayers() {
        Settings s = env("MAX_LAYERS", "3");
        assertEquals(3, s.layersFor(0, 8));
        assertEquals(3, s.layersFor(6, 8));
        assertEquals(2, s.layersFor(2, 8));
        assertEquals(0, s.layersFor(0, 2), "a cap above the file's layers means all");
    }

    @Test
    void jpegQualityIsClampedTo1Through100() {
        assertEquals(1, env("JPEG_QUALITY", "0").jpegQuality());
        assertEquals(1, env("JPEG_QUALITY", "-20").jpegQuality());
        assertEquals(100, env("JPEG_QUALITY", "500").jpegQuality());
        assertEquals(100, env("JPEG_QUALITY", "99999999999999").jpegQuality());
        assertEquals(75, env("JPEG_QUALITY", "high").jpegQuality(), "unreadable: the default");
    }

    @Test
    void webpAndAvifQualityAreClampedTo1Through100AndAvifSpeedTo0Through10() {
        Settings d = Settings.defaults();
        assertEquals(75, d.webpQuality());
        assertEquals(60, d.avifQuality());
        assertEquals(10, d.avifSpeed());
        assertEquals(1, env("WEBP_QUALITY", "0").webpQuality());
        assertEquals(100, env("WEBP_QUALITY", "101").webpQuality());
        assertEquals(90, env("AVIF_QUALITY", " 90 ").avifQuality());
        assertEquals(1, env("AVIF_QUALITY", "-1").avifQuality());
        assertEquals(0, env("AVIF_SPEED", "-3").avifSpeed());
        assertEquals(10, env("AVIF_SPEED", "11").avifSpeed());
        assertEquals(10, env("AVIF_SPEED", "fast").avifSpeed(), "unreadable: the default");
        assertEquals(6, env("AVIF_SPEED", "6").avifSpeed());
    }

    @Test
    void maxCvtMinusOneIsUnlimited() {
        assertEquals(Integer.MAX_VALUE, env("MAX_CVT", "-1").maxCvt());
        assertEquals(5000, env("MAX_CVT", "0").maxCvt(), "0: the default");
        assertEquals(64, env("MAX_CVT", "10").maxCvt(), "1.1's floor of 64");
    }

    @Test
    void absentOrBlankVariablesKeepTheDefaults() {
        Settings s = env("JPEG_QUALITY", " ", "MAX_CVT", "");
        assertEquals(75, s.jpegQuality());
        assertEquals(5000, s.maxCvt());
        assertEquals(90, env("JPEG_QUALITY", " 90 ").jpegQuality());
    }

    @Test
    void iiifSettingsHaveDefaultsAndEnvironmentNames() {
        Settings d = Settings.fromEnvironment(Map.of());
        assertEquals("/iiif", d.iiifPrefix());
        assertEquals(25_000_000L, d.iiifMaxArea(), "MAX_CVT squared");
        Settings s = env("IIIF_PREFIX", "images/iiif/", "IIIF_MAX_AREA", "1000000", "MAX_CVT", "2000");
        assertEquals("/images/iiif", s.iiifPrefix());
        assertEquals(1_000_000L, s.iiifMaxArea());
        assertEquals(4_000_000L, env("MAX_CVT", "2000").iiifMaxArea());
    }

    @Test
    void corsIsOneSettingForEveryProtocolOpenByDefaultAndEmptyForNone() {
        assertEquals("*", Settings.defaults().cors());
        assertEquals("https://a.example", env("CORS", "https://a.example").cors());
        assertEquals("", env("CORS", "").cors(), "empty: no CORS headers");
    }

    @Test
    void iiifCorsIsReadAsCorsOnlyWhenCorsIsNotGiven() {
        assertEquals("https://old.example", env("IIIF_CORS", "https://old.example").cors());
        assertEquals("", env("IIIF_CORS", "").cors());
        assertEquals("https://new.example", env("CORS", "https://new.example", "IIIF_CORS", "https://old.example")
                .cors());
    }

    @Test
    void zeroMeansAutomaticWhereTheDefaultDependsOnTheMachine() {
        Settings d = Settings.defaults();
        assertEquals(d.poolMaxTotal(), env("POOL_MAX_TOTAL", "0").poolMaxTotal());
        assertEquals(d.maxDecodePixels(), env("MAX_DECODE_PIXELS", "0").maxDecodePixels());
        assertEquals(d.levelCacheSize(), env("LEVEL_CACHE_SIZE", "-1").levelCacheSize());
        assertEquals(1, env("POOL_MAX_TOTAL", "-3").poolMaxTotal());
        assertEquals(65536, env("MAX_DECODE_PIXELS", "10").maxDecodePixels());
    }

    @Test
    void allowUpscalingReadsNumbersAndWords() {
        assertFalse(env("ALLOW_UPSCALING", "0").allowUpscaling());
        assertFalse(env("ALLOW_UPSCALING", "false").allowUpscaling());
        assertTrue(env("ALLOW_UPSCALING", "1").allowUpscaling());
        assertTrue(env("ALLOW_UPSCALING", "maybe").allowUpscaling(), "unreadable: the default");
    }

    @Test
    void laterSourcesWinOverEarlierOnes() {
        Settings s = Settings.from(SettingSource.variables(Map.of("JPEG_QUALITY", "50", "MAX_CVT", "1000"))
                .overriddenBy(SettingSource.variables(Map.of("JPEG_QUALITY", "60"))));
        assertEquals(60, s.jpegQuality(), "a context parameter over the environment");
        assertEquals(1000, s.maxCvt());
    }

    /** A secret's OSGi property has a leading dot (kept out of the service properties); its component has none. */
    @Test
    void everyDeclarationIsAComponentOfTheRecordAndEveryComponentADeclaration() {
        assertEquals(Arrays.stream(Settings.class.getRecordComponents()).map(RecordComponent::getName).toList(),
                Settings.DECLARED.stream().map(Setting::property).map(p -> p.startsWith(".") ? p.substring(1) : p)
                        .toList());
    }
}
