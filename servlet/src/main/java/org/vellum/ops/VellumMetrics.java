package org.vellum.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.vellum.cache.DiskCache;
import org.vellum.cache.Memcached;
import org.vellum.image.EngineStats;
import org.vellum.image.ImageEngine;

/**
 * One server's meters in a Prometheus registry of its own (never Micrometer's global one, so a second server in the
 * same JVM, a configuration change or a bundle update starts clean and leaves nothing registered behind). Requests
 * are counted as they are answered; the engine's, the caches' and the JVM's figures are read from their own counters
 * when scraped ({@link ImageEngine#stats()}, nothing is counted twice). docs/operations.md says what each means.
 */
public final class VellumMetrics implements AutoCloseable {
    /** The Prometheus text format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Latency buckets: a cached tile takes a millisecond, a cold region export seconds. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ImageEngine engine;
    private volatile Snapshot snapshot;

    /** The figures of one moment, read once for all the meters of a scrape. */
    private record Snapshot(EngineStats engine, DiskCache.Stats disk, Memcached.Stats memcached) {
    }

    public VellumMetrics(ImageEngine engine) {
        this.engine = engine;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("process.memory.resident", VellumMetrics::residentBytes).baseUnit(BaseUnits.BYTES)
                .description("Resident memory of the process (VmRSS): heap, native decoders, levels, threads")
                .register(registry);
        pool();
        memory();
        caches();
        decodes();
    }

    /** One answered request: {@code kind} is info, tile, region or other; {@code bytes} the body sent. */
    public void request(String protocol, String kind, int status, long bytes, long nanos) {
        Timer.builder("vellum.requests").description("Requests answered, by protocol, kind and status")
                .tags("protocol", protocol, "kind", kind, "status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS).register(registry).record(Duration.ofNanos(nanos));
        if (bytes > 0) {
            Counter.builder("vellum.response").baseUnit(BaseUnits.BYTES).description("Response body bytes sent")
                    .tags("protocol", protocol, "kind", kind).register(registry).increment(bytes);
        }
    }

    /** Every meter in the Prometheus text format (version 0.0.4). */
    public synchronized String scrape() {
        snapshot = read();
        try {
            return registry.scrape(CONTENT_TYPE);
        } finally {
            snapshot = null;
        }
    }

    /** How many meters there are (tests: nothing is registered twice, nothing leaks). */
    public int meterCount() {
        return registry.getMeters().size();
    }

    /** Unregisters the GC listeners and drops every meter. */
    @Override
    public void close() {
        gc.close();
        registry.close();
        registry.clear();
    }

    /** The scrape's snapshot, or (a meter read outside a scrape) the figures now. */
    private Snapshot now() {
        Snapshot s = snapshot;
        return s != null ? s : read();
    }

    private Snapshot read() {
        return new Snapshot(engine.stats(), engine.cache().diskStats(), engine.cache().memcachedStats());
    }

    private void pool() {
        gauge("vellum.decoders.open", "Decoders open (in use and idle)", s -> s.engine().pool().active()
                + s.engine().pool().idle(), null);
        gauge("vellum.decoders.in.use", "Decoders decoding now", s -> s.engine().pool().active(), null);
        gauge("vellum.decoders.waiting", "Requests waiting for a decoder now", s -> s.engine().pool().waiting(), null);
        gauge("vellum.decoders.native", "Native memory the open decoders hold (estimated)",
                s -> s.engine().pool().nativeBytes(), BaseUnits.BYTES);
        counter("vellum.decoder.waits", "Requests that had to wait for a decoder", s -> s.engine().pool().waits());
        counter("vellum.decoder.setups", "Decoders set up (a file opened and its header read)",
                s -> s.engine().pool().created());
        counter("vellum.decoders.closed", "Decoders closed (idle too long, evicted for the budget, or broken)",
                s -> s.engine().pool().destroyed());
        counter("vellum.decoders.borrowed", "Times a decoder was taken for a request", s -> s.engine().pool().borrowed());
        counter("vellum.decoders.invalidated", "Decoders thrown away after a failure or a changed file",
                s -> s.engine().pool().invalidated());
    }

    private void memory() {
        gauge("vellum.memory.budget", "MEMORY_BUDGET: the bound decoders, levels and cached images share",
                s -> s.engine().budget().limit(), BaseUnits.BYTES);
        gauge("vellum.memory.used", "Memory the budget counts as used now", s -> s.engine().budget().used(),
                BaseUnits.BYTES);
        counter("vellum.memory.evictions", "Investments (decoders, levels, images) given up for the budget",
                s -> s.engine().budget().dropped());
        counter("vellum.memory.refused", "Decoders not kept because the budget was full of investments worth as much",
                s -> s.engine().budget().refused());
        FunctionCounter.builder("vellum.memory.evicted", this, m -> m.now().engine().budget().droppedBytes())
                .baseUnit(BaseUnits.BYTES).description("Bytes given up for the budget").register(registry);
    }

    private void caches() {
        cacheCounter("hits", "level", s -> s.engine().levels().hits());
        cacheCounter("misses", "level", s -> s.engine().levels().decoded());
        cacheCounter("evictions", "level", s -> s.engine().levels().dropped());
        cacheGauge("entries", "level", s -> s.engine().levels().kept(), null);
        cacheGauge("size", "level", s -> s.engine().levels().bytes(), BaseUnits.BYTES);

        cacheCounter("hits", "memory", s -> s.engine().output().localHits());
        cacheCounter("misses", "memory", s -> s.engine().output().diskHits() + s.engine().output().sharedHits()
                + s.engine().output().produced());
        cacheCounter("evictions", "memory", s -> s.engine().output().evictions());
        cacheGauge("entries", "memory", s -> s.engine().output().entries(), null);
        cacheGauge("size", "memory", s -> s.engine().output().bytes(), BaseUnits.BYTES);

        cacheCounter("hits", "disk", s -> s.disk().hits());
        cacheCounter("misses", "disk", s -> s.disk().misses());
        cacheCounter("writes", "disk", s -> s.disk().writes());
        cacheCounter("evictions", "disk", s -> s.disk().evictions());
        cacheCounter("errors", "disk", s -> s.disk().errors());
        cacheGauge("size", "disk", s -> s.disk().bytes(), BaseUnits.BYTES);

        cacheCounter("hits", "memcached", s -> s.memcached().hits());
        cacheCounter("misses", "memcached", s -> s.memcached().misses());
        cacheCounter("writes", "memcached", s -> s.memcached().stores());
        cacheCounter("errors", "memcached", s -> s.memcached().errors());

        counter("vellum.output.produced", "Images decoded and encoded (found in no cache)",
                s -> s.engine().output().produced());
        counter("vellum.output.coalesced", "Requests that waited for an identical request's image instead",
                s -> s.engine().output().coalesced());
    }

    private void decodes() {
        for (var plan : List.<java.util.Map.Entry<String, Function<EngineStats.Plans, Long>>>of(
                java.util.Map.entry("window", EngineStats.Plans::windows),
                java.util.Map.entry("kept", EngineStats.Plans::kept),
                java.util.Map.entry("whole_level", EngineStats.Plans::wholeLevels),
                java.util.Map.entry("split", EngineStats.Plans::split))) {
            FunctionCounter.builder("vellum.decodes", this, m -> plan.getValue().apply(m.now().engine().plans()))
                    .tags("plan", plan.getKey()).description("Decodes, by how the planner made them")
                    .register(registry);
        }
        for (var failure : List.<java.util.Map.Entry<String, Function<EngineStats.Failures, Long>>>of(
                java.util.Map.entry("file", EngineStats.Failures::file),
                java.util.Map.entry("decode_limit", EngineStats.Failures::decodeLimit),
                java.util.Map.entry("region", EngineStats.Failures::region),
                java.util.Map.entry("internal", EngineStats.Failures::internal))) {
            FunctionCounter.builder("vellum.openjpeg.failures", this,
                            m -> failure.getValue().apply(m.now().engine().failures()))
                    .tags("class", failure.getKey()).description("Decodes that failed, by class").register(registry);
        }
    }

    private void gauge(String name, String description, ToDoubleFunction<Snapshot> f, String unit) {
        Gauge.builder(name, this, m -> f.applyAsDouble(m.now())).description(description).baseUnit(unit)
                .register(registry);
    }

    private void counter(String name, String description, ToDoubleFunction<Snapshot> f) {
        FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.now())).description(description)
                .register(registry);
    }

    private void cacheCounter(String what, String cache, ToDoubleFunction<Snapshot> f) {
        FunctionCounter.builder("vellum.cache." + what, this, m -> f.applyAsDouble(m.now()))
                .description("Cache " + what + ", by cache").tags(Tags.of("cache", cache)).register(registry);
    }

    private void cacheGauge(String what, String cache, ToDoubleFunction<Snapshot> f, String unit) {
        Gauge.builder("vellum.cache." + what, this, m -> f.applyAsDouble(m.now())).baseUnit(unit)
                .description("Cache " + what + " now, by cache").tags(Tags.of("cache", cache)).register(registry);
    }

    /** VmRSS from /proc/self/status; NaN where there is none (not Linux). */
    private static double residentBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
