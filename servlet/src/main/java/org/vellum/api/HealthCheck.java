package org.vellum.api;

/**
 * What an adapter offers so that {@code /health/ready} can tell whether the backend it serves from answers (a
 * repository's database, its storage). An {@link ImageResolver} that also implements this interface is asked on
 * every readiness probe; a failing check makes the server "not ready" (503) and names {@link #name()} in the answer.
 *
 * <p>Probes come every few seconds, so {@link #check()} must be cheap and bounded: a connection from the adapter's
 * own pool and a trivial query, a look at a folder. It must return or throw within about two seconds (set the
 * client's timeouts accordingly) and must not touch images.
 */
public interface HealthCheck {
    /** The part named in the readiness answer, short and stable, e.g. {@code dspace-database}. */
    String name();

    /**
     * Returns when the backend answers; throws with a short reason when it does not. The reason is logged; the
     * readiness answer names only {@link #name()} and the exception's class, as it may be read by anyone.
     */
    void check() throws Exception;
}
