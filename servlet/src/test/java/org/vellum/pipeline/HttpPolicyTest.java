package org.vellum.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vellum.api.Caller;
import org.vellum.api.ResolvedImage;
import org.vellum.config.Settings;

/** The headers every protocol's answers get, whatever rendered the body. */
class HttpPolicyTest {
    private static final Representation BODY = Representation.ok("image/jpeg", new byte[] {1, 2, 3});

    static HttpPolicy policy(String... env) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) m.put(env[i], env[i + 1]);
        return new HttpPolicy(Settings.fromEnvironment(m));
    }

    static Caller caller(String... headers) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) m.put(headers[i].toLowerCase(), headers[i + 1]);
        return new Caller("GET", name -> m.get(name.toLowerCase()), "http://localhost", "/x");
    }

    static Subject subject(boolean personal) {
        return new Subject(new ResolvedImage("a.jp2", Path.of("/images/a.jp2"), 1_700_000_000_000L, 10, personal),
                null, "\"e1\"");
    }

    @Test
    void publicImagesAreOpenToEveryOriginByDefault() {
        Answer a = policy().render(subject(false), BODY, Query.of("a.jp2", "k"), caller("Origin", "https://v.example"));
        assertEquals("*", a.header("Access-Control-Allow-Origin"));
        assertNull(a.header("Access-Control-Allow-Credentials"));
    }

    @Test
    void anEmptySettingSendsNoCorsHeaderAtAll() {
        Answer a = policy("CORS", "").render(subject(false), BODY, Query.of("a.jp2", "k"), caller());
        assertNull(a.header("Access-Control-Allow-Origin"));
        assertNull(policy("CORS", "").preflight("GET, OPTIONS", caller()).header("Access-Control-Allow-Origin"));
    }

    @Test
    void oneConfiguredOriginIsSentAsItIs() {
        Answer a = policy("CORS", "https://v.example").render(subject(false), BODY, Query.of("a", "k"), caller());
        assertEquals("https://v.example", a.header("Access-Control-Allow-Origin"));
    }

    @Test
    void aListOfOriginsEchoesAListedOriginAndVariesOnIt() {
        HttpPolicy p = policy("CORS", "https://a.example, https://b.example");
        Answer listed = p.render(subject(false), BODY, Query.of("a", "k"), caller("Origin", "https://b.example"));
        assertEquals("https://b.example", listed.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", listed.header("Vary"));
        Answer other = p.render(subject(false), BODY, Query.of("a", "k"), caller("Origin", "https://c.example"));
        assertNull(other.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", other.header("Vary"));
    }

    @Test
    void anImageServedOnTheCallersCredentialsIsNeverOpenToStar() {
        Answer a = policy().render(subject(true), BODY, Query.of("a", "k"),
                caller("Origin", "https://v.example", "Authorization", "Bearer t"));
        assertNull(a.header("Access-Control-Allow-Origin"));
        assertTrue(a.header("Cache-Control").startsWith("private, "));
    }

    @Test
    void anImageServedOnCredentialsToANamedOriginAllowsCredentials() {
        Answer a = policy("CORS", "https://v.example").render(subject(true), BODY, Query.of("a", "k"),
                caller("Origin", "https://v.example", "Authorization", "Bearer t"));
        assertEquals("https://v.example", a.header("Access-Control-Allow-Origin"));
        assertEquals("true", a.header("Access-Control-Allow-Credentials"));
        assertEquals("Origin", a.header("Vary"));
    }

    @Test
    void successCarriesValidatorsAndCacheControlFailuresDoNot() {
        HttpPolicy p = policy("CACHE_CONTROL", "max-age=60");
        Answer ok = p.render(subject(false), BODY, Query.of("a", "k"), caller());
        assertEquals("\"e1\"", ok.header("ETag"));
        assertEquals("max-age=60", ok.header("Cache-Control"));
        assertEquals(HttpDates.format(1_700_000_000_000L), ok.header("Last-Modified"));
        Answer missing = p.render(Representation.text(404, "text/plain", "no"), caller());
        assertNull(missing.header("ETag"));
        assertNull(missing.header("Cache-Control"));
    }

    @Test
    void unauthorizedAnswersChallengeForCredentials() {
        Answer a = policy().render(Representation.text(401, "text/plain", "who?"), caller());
        assertEquals("Bearer", a.header("WWW-Authenticate"));
    }

    @Test
    void theVaryAQueryNamesIsSentOnSuccessAnd304Alike() {
        Query q = new Query("a", "k", List.of("Accept"));
        assertEquals("Accept", policy().render(subject(false), BODY, q, caller()).header("Vary"));
        assertEquals("Accept", policy().notModified(subject(false), q, caller()).header("Vary"));
    }

    @Test
    void aPreflightNamesTheMethodsAndHeadersAViewerSends() {
        Answer a = policy().preflight("GET, HEAD, OPTIONS", caller("Origin", "https://v.example",
                "Access-Control-Request-Method", "GET"));
        assertEquals(204, a.status());
        assertEquals("*", a.header("Access-Control-Allow-Origin"));
        assertEquals("GET, HEAD, OPTIONS", a.header("Access-Control-Allow-Methods"));
        assertTrue(a.header("Access-Control-Allow-Headers").contains("If-None-Match"));
    }
}
