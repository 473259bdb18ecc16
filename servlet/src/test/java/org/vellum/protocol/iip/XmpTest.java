package org.vellum.protocol.iip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;
import org.w3c.dom.Document;

/**
 * A JP2's XMP packet as IIP's {@code obj=xmp} (iipsrv 1.2+: the packet, as application/xml): from a uuid box with
 * XMP's UUID, else from the first xml box, placed before the codestream as writers place them. The boxes are written
 * by hand into JP2s of our encoder.
 */
class XmpTest {
    private static final String PACKET = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
            + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
            + "<rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title><rdf:Alt>"
            + "<rdf:li xml:lang=\"x-default\">Liber Floridus, fol. 88r</rdf:li></rdf:Alt></dc:title></rdf:Description>"
            + "</rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>";

    @TempDir
    static Path tmp;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path plain = Fixtures.write(images, "plain.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(2, 0));
        byte[] packet = PACKET.getBytes(StandardCharsets.UTF_8);
        byte[] uuid = HexFormat.of().parseHex("BE7ACFCB97A942E89C71999491E3AFAC");
        withBoxBeforeCodestream(plain, images.resolve("uuid.jp2"), box("uuid", uuid, packet));
        withBoxBeforeCodestream(plain, images.resolve("xml.jp2"), box("xml ", packet));
        // another uuid box (not XMP) is no XMP
        withBoxBeforeCodestream(plain, images.resolve("other.jp2"),
                box("uuid", HexFormat.of().parseHex("00112233445566778899AABBCCDDEEFF"), packet));
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
    }

    private static byte[] box(String type, byte[]... parts) {
        int len = 8;
        for (byte[] p : parts) len += p.length;
        ByteBuffer b = ByteBuffer.allocate(len).putInt(len).put(type.getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    private static void withBoxBeforeCodestream(Path jp2, Path out, byte[] box) throws Exception {
        byte[] b = Files.readAllBytes(jp2);
        int start = new String(b, StandardCharsets.ISO_8859_1).indexOf("jp2c") - 4;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.write(b, 0, start);
        copy.write(box);
        copy.write(b, start, b.length - start);
        Files.write(out, copy.toByteArray());
    }

    @Test
    void aUuidBoxOfXmpsUuidIsTheXmpObjectAsXml() throws Exception {
        HttpResponse<byte[]> r = http.get("/iip?FIF=uuid.jp2&obj=xmp");
        assertEquals(200, r.statusCode());
        assertEquals("application/xml", Http.header(r, "Content-Type"));
        assertEquals(PACKET + "\r\n", new String(r.body(), StandardCharsets.UTF_8));
        Document doc = DocumentBuilderFactory.newNSInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.body()));
        assertEquals("Liber Floridus, fol. 88r",
                doc.getElementsByTagNameNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "li").item(0)
                        .getTextContent());
    }

    @Test
    void anXmlBoxIsTheXmpObjectWhenThereIsNoXmpUuidBox() {
        assertEquals(PACKET + "\r\n", new String(http.ok("/iip?FIF=xml.jp2&obj=xmp"), StandardCharsets.UTF_8));
    }

    @Test
    void aFileWithoutXmpAnswersNoXmpLikeAnyAbsentMetadata() {
        // as for title or copyright, an absent field prints nothing; with nothing else asked, iipsrv's error 2 1
        for (String file : new String[] {"plain.jp2", "other.jp2"}) {
            String body = new String(http.ok("/iip?FIF=" + file + "&obj=IIP,1.0&obj=xmp"), StandardCharsets.UTF_8);
            assertEquals("IIP:1.0\r\n", body, file);
        }
    }

    @Test
    void theXmpBoxLeavesTheImageAsItWas() {
        assertTrue(http.ok("/iip?FIF=uuid.jp2&JTL=0,0").length > 0);
        assertEquals(new String(http.ok("/iip?FIF=plain.jp2&obj=IIP,1.0&obj=Max-size"), StandardCharsets.US_ASCII),
                new String(http.ok("/iip?FIF=uuid.jp2&obj=IIP,1.0&obj=Max-size"), StandardCharsets.US_ASCII));
    }
}
