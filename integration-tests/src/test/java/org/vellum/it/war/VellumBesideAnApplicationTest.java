package org.vellum.it.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jboss.shrinkwrap.resolver.api.maven.Maven;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;

/**
 * docs/arquillian.md's recipe, exactly as written there: another project's Arquillian test deploys its own application
 * and, beside it, Vellum's WAR resolved from Maven ({@code org.vellum:vellum-servlet:war:webapp}) with its settings as
 * context parameters, then follows the image its application's page shows to Vellum and gets the pixels. The
 * application here is one servlet (a repository's item page with a IIIF image on it).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class VellumBesideAnApplicationTest {
    private static Path images;

    // ---- the recipe (docs/arquillian.md) starts here

    /** Vellum's WAR from Maven, at /vellum, serving the images of {@code imageFolder}. */
    static WebArchive vellum(Path imageFolder) throws IOException {
        // not from a module on the test class path: its build's POM, not the WAR's published one
        File war = Maven.configureResolver().withClassPathResolution(false)
                .resolve("org.vellum:vellum-servlet:war:webapp:" + System.getProperty("vellum.version"))
                .withoutTransitivity().asSingleFile();
        WebArchive vellum = ShrinkWrap.create(WebArchive.class, "vellum.war")
                .merge(ShrinkWrap.createFromZipFile(WebArchive.class, war));
        String webXml;
        try (InputStream in = vellum.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // any setting of docs/settings.md, by its iipsrv name; context parameters win over the environment
        String settings = "<context-param><param-name>FILESYSTEM_PREFIX</param-name>"
                + "<param-value>" + imageFolder + "</param-value></context-param>";
        return vellum.setWebXML(new StringAsset(webXml.replace("</web-app>", settings + "</web-app>")));
    }

    @Deployment(name = "vellum", order = 1, testable = false)
    static WebArchive vellumDeployment() throws Exception {
        images = Files.createTempDirectory("vellum-recipe-images");
        Jp2Writer.write(images.resolve("page.jp2"), page(900, 600), new Jp2EncodeOptions(4, 1, 256, true, true));
        return vellum(images);
    }

    // ---- the recipe ends here; the rest is the other project's own

    @Deployment(name = "repository", order = 2, testable = false)
    static WebArchive repository() {
        return ShrinkWrap.create(WebArchive.class, "repository.war").addClass(ItemPage.class);
    }

    /** A repository's item page: the page image through Vellum's IIIF Image API, on the same host. */
    @WebServlet("/item")
    public static class ItemPage extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/html; charset=utf-8");
            resp.getWriter().println("<html><body><h1>Item 1</h1>"
                    + "<img src=\"/vellum/iiif/3/page.jp2/full/!300,300/0/default.jpg\"></body></html>");
        }
    }

    @ArquillianResource
    @OperateOnDeployment("repository")
    private URL repository;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theImageOnTheApplicationsPageComesFromVellum() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(repository.toURI().resolve("item")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(page.body());
        assertTrue(img.find(), page.body());
        URI image = repository.toURI().resolve(img.group(1));
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(image).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), image.toString());
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage got = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertNotNull(got);
        assertEquals(300, got.getWidth());
        assertEquals(200, got.getHeight());
        // left half dark, right half light, as page() draws it
        assertTrue(brightness(got.getRGB(40, 100)) < 80, "left half");
        assertTrue(brightness(got.getRGB(260, 100)) > 170, "right half");
    }

    @Test
    void vellumsInfoJsonNamesItsOwnContextPath() throws Exception {
        URI info = repository.toURI().resolve("/vellum/iiif/3/page.jp2/info.json");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(info).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"id\": \"" + repository.toURI().resolve("/vellum/iiif/3/page.jp2") + "\"")
                || r.body().contains("\"id\":\"" + repository.toURI().resolve("/vellum/iiif/3/page.jp2") + "\""),
                r.body());
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
    }

    private static BufferedImage page(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) img.setRGB(x, y, x < w / 2 ? 0x202830 : 0xF0E8D8);
        }
        return img;
    }
}
