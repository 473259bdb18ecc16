package org.vellum.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** bin/vellum's deploy/org.vellum.cfg: the iipsrv variables given, under the OSGi properties they are declared with. */
class ConfigurationFileTest {

    @Test
    void givenVariablesBecomePropertiesAndArgumentsWin() {
        String cfg = ConfigurationFile.of(Map.of("JPEG_QUALITY", "90", "FILESYSTEM_PREFIX", "/env", "HOME", "/root",
                "POOL_MAX_NATIVE_SIZE", "50"), Map.of("filesystemPrefix", "/images"));
        assertEquals("""
                filesystemPrefix=/images
                jpegQuality=90
                memoryBudget=50
                """, cfg);
    }
}
