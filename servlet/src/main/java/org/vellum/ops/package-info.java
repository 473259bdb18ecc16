/**
 * Operations: what a site's monitoring reads. {@link org.vellum.ops.Readiness} answers whether this server can serve
 * (libopenjp2 loaded, the image folder readable, each adapter's backend answering); {@link org.vellum.ops.VellumMetrics}
 * holds one server's meters (requests, and the engine's, caches' and JVM's figures read when scraped) in a Prometheus
 * registry. The servlets that expose them are in {@code http}; the embedded server's request log is in {@code server}.
 */
package org.vellum.ops;
