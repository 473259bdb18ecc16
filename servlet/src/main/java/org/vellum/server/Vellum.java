package org.vellum.server;

import java.time.Duration;
import java.util.List;

import jakarta.servlet.Servlet;

import org.vellum.cache.OutputCache;
import org.vellum.config.Settings;
import org.vellum.http.IipServlet;
import org.vellum.http.PathProtocolServlet;
import org.vellum.http.StaticServlet;
import org.vellum.http.UriMap;
import org.vellum.image.ImageEngine;
import org.vellum.pool.DecoderPool;
import org.vellum.protocol.deepzoom.DeepZoom;
import org.vellum.protocol.iiif.IiifHandler;
import org.vellum.protocol.iiif.IiifServlet;
import org.vellum.protocol.iip.IipProtocol;
import org.vellum.protocol.iip.IipResponses;
import org.vellum.protocol.zoomify.Zoomify;
import org.vellum.source.FilesystemResolver;
import org.vellum.source.ImageResolver;

/**
 * One running server's parts, built from one settings object; closing it closes the decoder pool and stops its
 * threads, and drops the output cache and its memcached connections. The OSGi bundle builds one per configuration, with the resolver services chained as {@code resolver}.
 */
public final class Vellum implements AutoCloseable {
    /** Paths existing viewer configurations use for iipsrv, so they work unchanged. */
    public static final String[] IIP_PATHS = {"/iip", "/fcgi-bin/iipsrv.fcgi", "/iipsrv/iipsrv.fcgi"};

    private final Settings settings;
    private final DecoderPool pool;
    private final OutputCache cache;
    private final ImageEngine engine;

    public Vellum(Settings settings) {
        this(settings, new FilesystemResolver(settings.filesystemPrefix(), settings.filesystemSuffix()));
    }

    public Vellum(Settings settings, ImageResolver resolver) {
        this.settings = settings;
        this.pool = new DecoderPool(settings.poolMaxTotal(), settings.poolMaxPerFile(),
                Duration.ofSeconds(settings.poolIdleSeconds()), settings.poolMaxNativeBytes());
        this.cache = OutputCache.of(settings);
        this.engine = new ImageEngine(settings, resolver, pool, cache);
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

    @Override
    public void close() {
        pool.close();
        cache.close();
    }
}
