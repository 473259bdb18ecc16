package org.vellum.protocol.iiif;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rotation parameter: {@code [!]n}, n a decimal from 0 to 360 degrees clockwise, {@code !} mirroring first. */
public record Rotation(boolean mirror, double degrees, String canonicalNumber) {
    private static final Pattern SYNTAX = Pattern.compile("(!?)(\\d+(?:\\.\\d*)?|\\.\\d+)");

    public static Rotation parse(String s) throws IiifException {
        Matcher m = SYNTAX.matcher(s);
        if (!m.matches()) throw IiifException.badRequest("Invalid rotation: " + s);
        BigDecimal n = new BigDecimal(m.group(2));
        if (n.compareTo(BigDecimal.valueOf(360)) > 0) {
            throw IiifException.badRequest("Rotation must be between 0 and 360: " + s);
        }
        String canonical = n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
        return new Rotation(!m.group(1).isEmpty(), n.doubleValue(), canonical);
    }

    /** As the canonical URI writes it: no trailing zeros, {@code !} kept. */
    public String canonical() {
        return (mirror ? "!" : "") + canonicalNumber;
    }
}
