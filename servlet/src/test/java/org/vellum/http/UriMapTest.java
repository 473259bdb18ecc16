package org.vellum.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class UriMapTest {

    @Test
    void aMappedPrefixBecomesTheProtocolCommandWithTheRestOfThePath() {
        UriMap map = UriMap.parse("zoom=>zoomify");
        assertEquals("Zoomify=a/b.jp2/ImageProperties.xml", map.query("/zoom/a/b.jp2/ImageProperties.xml"));
        assertNull(map.query("/other/a.jp2"));
        assertNull(map.query("/zoomx/a.jp2"));
    }

    @Test
    void iipMapsToFifAndAnEmptyPrefixMapsEveryPath() {
        assertEquals("FIF=x.jp2&obj=Max-size", UriMap.parse("=>IIP").query("/x.jp2&obj=Max-size"));
        assertEquals("DeepZoom=x.jp2.dzi", UriMap.parse("dz=>deepzoom").query("/dz/x.jp2.dzi"));
    }

    @Test
    void anEmptyOrUnknownMappingMapsNothing() {
        assertNull(UriMap.parse(""));
        assertNull(UriMap.parse("iiif=>iiif"));     // IIIF has its own issue
        assertNull(UriMap.parse("nonsense"));
    }
}
