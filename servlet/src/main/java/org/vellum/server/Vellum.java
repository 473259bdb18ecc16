package org.vellum.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.servlet.Servlet;

import org.vellum.cache.OutputCache;
import org.vellum.config.Settings;
import org.vellum.http.IipServlet;
import org.vellum.http.PathProtocolServlet;
import org.vellum.http.RequestContext;
import org.vellum.http.Response;
import org.vellum.http.StaticServlet;
import org.vellum.http.UriMap;
import org.vellum.image.ImageEngine;
import org.vellum.memory.MemoryBudget;
import org.vellum.pool.DecoderPool;
import org.vellum.protocol.deepzoom.DeepZoom;
import org.vellum.protocol.iiif.IiifHandler;
import org.vellum.protocol.iiif.IiifServlet;
import org.vellum.protocol.iip.IipProtocol;
import org.vellum.protocol.iip.IipResponses;
import org.vellum.protocol.zoomify.Zoomify;
import org.vellum.source.FilesystemResolver;
import org.vellum.source.ImageResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server's parts, built from one settings object; closing it closes the decoder pool and stops its
 * threads, and drops the output cache and its memcached connections. The OSGi bundle builds one per configuration, with the resolver services chained as {@code resolver}.
 */
public final class Vellum implements AutoCloseable {
    /** Paths existing viewer configurations use for iipsrv, so they work unchanged. */
    public static final String[] IIP_PATHS = {"/iip", "/fcgi-bin/iipsrv.fcgi", "/iipsrv/iipsrv.fcgi"};

    private static final Logger LOG = LoggerFactory.getLogger(Vellum.class);
    private static final Duration WARM_UP_WAIT = Duration.ofSeconds(5);

    private final Settings settings;
    private final DecoderPool pool;
    private final OutputCache cache;
    private final ImageEngine engine;

    public Vellum(Settings settings) {
        this(settings, new FilesystemResolver(settings.filesystemPrefix(), settings.filesystemSuffix()));
    }

    public Vellum(Settings settings, ImageResolver resolver) {
        this.settings = settings;
        MemoryBudget budget = new MemoryBudget(settings.memoryBudgetBytes());
        this.pool = new DecoderPool(settings.poolMaxTotal(), settings.poolMaxPerFile(),
                Duration.ofSeconds(settings.poolIdleSeconds()), budget, Runtime.getRuntime().availableProcessors());
        this.cache = OutputCache.of(settings, budget);
        this.engine = new ImageEngine(settings, resolver, pool, cache, budget);
    }

    public Settings settings() {
        return settings;
    }

    public ImageEngine engine() {
        return engine;
    }

    public IipServlet iipServlet() {
        return new IipServlet(new IipProtocol(engine), settings);
    }

    /** IIIF Image API 2.1 and 3.0, to be mapped at {@code settings.iiifPrefix() + "/*"}. */
    public IiifServlet iiifServlet() {
        return new IiifServlet(new IiifHandler(engine), settings);
    }

    public PathProtocolServlet zoomifyServlet() {
        Zoomify z = new Zoomify(engine, new IipResponses(settings));
        return new PathProtocolServlet(z::handle, settings);
    }

    public PathProtocolServlet deepZoomServlet() {
        DeepZoom dz = new DeepZoom(engine, new IipResponses(settings));
        return new PathProtocolServlet(dz::handle, settings);
    }

    /** A servlet and the URL patterns (relative to the context path) it answers. */
    public record Route(String name, Servlet servlet, List<String> patterns) {
    }

    /**
     * Every servlet with its URL patterns: the one table the embedded launcher and the WAR both map, so the paths
     * cannot drift apart. The viewer page at {@code /} shows {@code defaultImage} unless asked for another.
     */
    public List<Route> routes(String defaultImage) {
        IipServlet iip = iipServlet();
        return List.of(
                new Route("iip", iip, List.of(IIP_PATHS)),
                new Route("zoomify", zoomifyServlet(), List.of("/zoomify/*")),
                new Route("deepzoom", deepZoomServlet(), List.of("/deepzoom/*")),
                new Route("iiif", iiifServlet(), List.of(settings.iiifPrefix() + "/*")),
                new Route("static", new StaticServlet(defaultImage, UriMap.parse(settings.uriMap()), iip), List.of("/")));
    }

    /**
     * Answers what a viewer asks first for {@code identifier} (IIP metadata, then the smallest level's first tile) once,
     * on a thread of its own, and waits for it up to 5 s (after that it goes on alone). Loading classes, libopenjp2 and libturbojpeg, and
     * the first decode and encode are then paid before the first real request: measured right after start on the
     * 15000x54000 speed image, metadata 152 ms → 10 ms and a tile 228 ms → 127 ms. A failure is only logged (the
     * first real request reports it); null or blank: nothing to do. The thread ends with the work, taking JNA's
     * per-thread state with it (nothing of ours stays on a container's threads).
     */
    public void warmUp(String identifier) {
        if (identifier == null || identifier.isBlank()) return;
        IipProtocol iip = new IipProtocol(engine);
        RequestContext ctx = new RequestContext("GET", name -> null, "", "");
        String fif = "FIF=" + URLEncoder.encode(identifier, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        Thread worker = new Thread(() -> {
            try {
                Response info = iip.handle(fif + "&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number", ctx);
                Response tile = iip.handle(fif + "&JTL=0,0", ctx);
                LOG.debug("warm-up with {}: {} and {} in {} ms", identifier, info.status(), tile.status(),
                        (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.debug("warm-up with {} failed: {}", identifier, e.toString());
            }
        }, "vellum-warm-up");
        worker.setDaemon(true);
        worker.setContextClassLoader(null);
        worker.start();
        try {
            worker.join(WARM_UP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        engine.close();
        pool.close();
        cache.close();
    }
}
