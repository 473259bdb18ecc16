package org.vellum.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.Caller;
import org.vellum.api.HealthCheck;
import org.vellum.api.ImageResolver;
import org.vellum.cache.OutputCache;
import org.vellum.config.Settings;
import org.vellum.http.Routes;
import org.vellum.image.Encoders;
import org.vellum.image.ImageEngine;
import org.vellum.image.OutputFormat;
import org.vellum.memory.MemoryBudget;
import org.vellum.ops.Readiness;
import org.vellum.ops.VellumMetrics;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.HttpPolicy;
import org.vellum.pipeline.ImageService;
import org.vellum.pool.DecoderPool;
import org.vellum.protocol.deepzoom.DeepZoom;
import org.vellum.protocol.iiif.IiifHandler;
import org.vellum.protocol.iiif.Presentation;
import org.vellum.protocol.iip.IipProtocol;
import org.vellum.protocol.zoomify.Zoomify;
import org.vellum.source.FilesystemResolver;
import org.vellum.source.ResolverChain;

/**
 * One running server's parts, built from one settings object: engine, pipeline, protocols, metrics, readiness and
 * their routes. Closing it closes the decoder pool and stops its threads, drops the output cache and its memcached
 * connections, and unregisters its meters. The OSGi bundle builds one per configuration, with the resolver services
 * chained as {@code resolver}.
 */
public final class Vellum implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Vellum.class);
    private static final Duration WARM_UP_WAIT = Duration.ofSeconds(5);

    private final Settings settings;
    private final DecoderPool pool;
    private final OutputCache cache;
    private final ImageEngine engine;
    private final HttpPolicy policy;
    private final ImageService service;
    private final Zoomify zoomify;
    private final DeepZoom deepZoom;
    private final IipProtocol iip;
    private final IiifHandler iiif;
    private final Presentation presentation;
    private final VellumMetrics metrics;
    private final Readiness readiness;
    /** The warm-up, which may outlive {@link #warmUp}'s wait on a busy machine; {@link #close} waits for it. */
    private volatile Thread warmUp;

    public Vellum(Settings settings) {
        this(settings, new FilesystemResolver(settings.filesystemPrefix(), settings.filesystemSuffix(),
                settings.filenamePattern()));
    }

    /**
     * Readiness asks the resolver too when it is a {@link HealthCheck} (an adapter's), or each resolver of a
     * {@link ResolverChain} that is one (the adapters the WAR and the launcher found).
     */
    public Vellum(Settings settings, ImageResolver resolver) {
        this(settings, resolver, () -> healthChecksOf(resolver));
    }

    private static List<HealthCheck> healthChecksOf(ImageResolver resolver) {
        if (resolver instanceof ResolverChain chain) {
            return chain.resolvers().stream().filter(HealthCheck.class::isInstance).map(HealthCheck.class::cast)
                    .toList();
        }
        return resolver instanceof HealthCheck c ? List.of(c) : List.of();
    }

    /** @param healthChecks the adapters' checks, asked afresh on every readiness probe */
    public Vellum(Settings settings, ImageResolver resolver,
                  Supplier<? extends Collection<HealthCheck>> healthChecks) {
        this.settings = settings;
        MemoryBudget budget = new MemoryBudget(settings.memoryBudgetBytes());
        this.pool = new DecoderPool(settings.poolMaxTotal(), settings.poolMaxPerFile(),
                Duration.ofSeconds(settings.poolIdleSeconds()), budget, Runtime.getRuntime().availableProcessors());
        this.cache = OutputCache.of(settings, budget);
        this.engine = new ImageEngine(settings, resolver, pool, cache, budget);
        this.policy = new HttpPolicy(settings);
        this.service = new ImageService(engine, policy);
        this.zoomify = new Zoomify(service);
        this.deepZoom = new DeepZoom(service);
        this.iip = new IipProtocol(service, List.of(zoomify, deepZoom));
        this.iiif = new IiifHandler(service);
        this.presentation = new Presentation(service);
        this.metrics = new VellumMetrics(engine);
        this.readiness = new Readiness(settings.filesystemPrefix(), healthChecks);
        for (OutputFormat f : List.of(OutputFormat.WEBP, OutputFormat.AVIF)) {
            LOG.info("{} output: {}", f.extension(), Encoders.available(f) ? Encoders.describe(f)
                    : "not offered (" + Encoders.describe(f) + ")");
        }
    }

    public Settings settings() {
        return settings;
    }

    public ImageEngine engine() {
        return engine;
    }

    /** Every servlet with its paths; the viewer page at {@code /} shows {@code defaultImage} unless asked for another. */
    public List<Routes.Route> routes(String defaultImage) {
        return Routes.of(settings, policy, iip, zoomify, deepZoom, iiif, presentation, defaultImage, metrics, readiness);
    }

    public VellumMetrics metrics() {
        return metrics;
    }

    /**
     * Answers what a viewer asks first for {@code identifier} (IIP metadata, then the smallest level's first tile) once,
     * on a thread of its own, and waits for it up to 5 s, so that loading classes and native libraries and the first
     * decode are paid before the first real request. A failure is only logged (the first real request reports it);
     * null or blank: nothing to do. The thread ends with the work, taking JNA's per-thread state with it.
     */
    public void warmUp(String identifier) {
        if (identifier == null || identifier.isBlank()) return;
        Caller caller = Caller.anonymous();
        String fif = "FIF=" + URLEncoder.encode(identifier, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        Thread worker = new Thread(() -> {
            try {
                Answer info = iip.handle(fif + "&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number",
                        caller);
                Answer tile = iip.handle(fif + "&JTL=0,0", caller);
                LOG.debug("warm-up with {}: {} and {} in {} ms", identifier, info.status(), tile.status(),
                        (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.debug("warm-up with {} failed: {}", identifier, e.toString());
            }
        }, "vellum-warm-up");
        worker.setDaemon(true);
        worker.setContextClassLoader(null);
        warmUp = worker;
        worker.start();
        try {
            worker.join(WARM_UP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        metrics.close();
        engine.close();
        pool.close();
        cache.close();
        // a warm-up still running uses JNA after this (and would start JNA's cleaner thread again after an undeploy
        // stopped it: Tomcat reported it); with the pool closed it ends at once
        Thread w = warmUp;
        if (w != null) {
            try {
                w.join(WARM_UP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
