/**
 * What repository adapters implement and use: {@link org.vellum.api.ImageResolver} maps an identifier onto an image
 * file, {@link org.vellum.api.ResolvedImage} is its answer, {@link org.vellum.api.Caller} is who asks. Since 1.1 a
 * resolver may also answer objects of several images ({@link org.vellum.api.ImageObject}: a book, an item) through a
 * default method that older resolvers need not implement, and may implement {@link org.vellum.api.HealthCheck}
 * (optional) to tell readiness probes whether the adapter's backend answers; {@link org.vellum.api.ResolverProvider}
 * lets the WAR and the embedded launcher find an adapter on their class path. Exported to other bundles with this
 * version; everything else of Vellum stays private to its bundle.
 */
@Version("1.1.0")
package org.vellum.api;

import org.osgi.annotation.versioning.Version;
