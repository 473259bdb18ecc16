package org.vellum.http;

import java.util.List;

import jakarta.servlet.http.HttpServlet;

import org.vellum.config.Settings;
import org.vellum.ops.Readiness;
import org.vellum.ops.VellumMetrics;
import org.vellum.pipeline.HttpPolicy;
import org.vellum.protocol.PathEndpoint;
import org.vellum.protocol.iiif.IiifHandler;
import org.vellum.protocol.iiif.Presentation;
import org.vellum.protocol.iip.IipProtocol;

/**
 * Every path Vellum answers, with its servlet: the one table the embedded launcher, the WAR and the OSGi component
 * all map (the OSGi gate mirrors it from the registered servlets), so the paths cannot drift apart.
 */
public final class Routes {
    /** Paths existing viewer configurations use for iipsrv, so they work unchanged. */
    public static final List<String> IIP_PATHS = List.of("/iip", "/fcgi-bin/iipsrv.fcgi", "/iipsrv/iipsrv.fcgi");

    private Routes() {
    }

    /** A servlet and the URL patterns (relative to the context path) it answers. */
    public record Route(String name, List<String> patterns, HttpServlet servlet) {
        public Route {
            patterns = List.copyOf(patterns);
        }
    }

    /**
     * @param zoomify      at /zoomify/*
     * @param deepZoom     at /deepzoom/*
     * @param defaultImage what the viewer page at {@code /} shows unless asked for another
     * @param metrics      where the protocol servlets count requests, and what {@code /metrics} shows
     * @param readiness    what {@code /health/ready} checks
     */
    public static List<Route> of(Settings settings, HttpPolicy policy, IipProtocol iip, PathEndpoint zoomify,
                                 PathEndpoint deepZoom, IiifHandler iiif, Presentation presentation,
                                 String defaultImage, VellumMetrics metrics, Readiness readiness) {
        IipServlet iipServlet = new IipServlet(iip, policy, metrics);
        return List.of(
                new Route("iip", IIP_PATHS, iipServlet),
                new Route("zoomify", List.of("/zoomify/*"), new PathServlet("zoomify", zoomify, policy, metrics)),
                new Route("deepzoom", List.of("/deepzoom/*"), new PathServlet("deepzoom", deepZoom, policy, metrics)),
                new Route("iiif", List.of(settings.iiifPrefix() + "/*"),
                        new IiifServlet(iiif, presentation, policy, metrics)),
                new Route("health", List.of("/health/*"), new HealthServlet(readiness)),
                new Route("metrics", List.of("/metrics"), new MetricsServlet(metrics, settings)),
                new Route("viewer", List.of("/"),
                        new StaticServlet(defaultImage, UriMap.parse(settings.uriMap()), iipServlet,
                                settings.iiifPrefix())));
    }
}
