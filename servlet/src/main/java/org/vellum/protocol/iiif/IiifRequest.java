package org.vellum.protocol.iiif;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Locale;

import org.vellum.image.Encoders;
import org.vellum.image.OutputFormat;
import org.vellum.image.Quality;

/**
 * A IIIF path after {@code <prefix>/<version>/}, still URL-encoded, split into what it asks for. Each segment is
 * decoded once, so {@code %2F} in an identifier is a slash of the file path ({@code %252F} a literal "%2F"). Raw
 * slashes in identifiers work too, as in iipsrv: the identifier is whatever precedes {@code info.json} or the last
 * four parameters.
 */
public sealed interface IiifRequest {
    String identifier();

    /** {@code {identifier}/info.json}. */
    record Info(String identifier) implements IiifRequest {
    }

    /** The base URI, {@code {identifier}} alone: answered with 303 to its info.json. */
    record Base(String identifier) implements IiifRequest {
    }

    /** {@code {identifier}/{region}/{size}/{rotation}/{quality}.{format}}. */
    record Image(String identifier, Region region, Size size, Rotation rotation, String quality, Quality colour,
                 OutputFormat format) implements IiifRequest {
    }

    static IiifRequest parse(String rawPath, IiifVersion version) throws IiifException {
        String[] segs = rawPath.split("/", -1);
        int n = segs.length;
        if (n > 1 && segs[n - 1].isEmpty()) n--;                 // a trailing slash
        if (n == 0 || n == 1 && segs[0].isEmpty()) throw new IiifException(404, "No image identifier given");
        if (segs[n - 1].equals("info.json")) {
            if (n == 1) throw new IiifException(404, "No image identifier given");
            return new Info(identifier(segs, n - 1));
        }
        if (n < 5) return new Base(identifier(segs, n));
        String id = identifier(segs, n - 4);
        Region region = Region.parse(decode(segs[n - 4]));
        Size size = Size.parse(decode(segs[n - 3]), version);
        Rotation rotation = Rotation.parse(decode(segs[n - 2]));
        String last = decode(segs[n - 1]);
        int dot = last.lastIndexOf('.');
        if (dot <= 0) throw IiifException.badRequest("The last parameter must be {quality}.{format}: " + last);
        String quality = last.substring(0, dot);
        Quality colour = switch (quality) {
            case "default", "color" -> Quality.DEFAULT;
            case "gray" -> Quality.GRAY;
            case "bitonal" -> Quality.BITONAL;
            default -> throw IiifException.badRequest("Invalid quality: " + quality);
        };
        return new Image(id, region, size, rotation, quality, colour, format(last.substring(dot + 1)));
    }

    /**
     * The formats the spec names (and avif): ours are encoded, webp and avif where their library is installed, the rest
     * are valid but not offered (501), anything else is 400.
     */
    static OutputFormat format(String ext) throws IiifException {
        return switch (ext) {
            case "jpg" -> OutputFormat.JPEG;
            case "png" -> OutputFormat.PNG;
            case "tif" -> OutputFormat.TIFF;
            case "gif" -> OutputFormat.GIF;
            case "webp", "avif" -> offered(ext.equals("webp") ? OutputFormat.WEBP : OutputFormat.AVIF);
            case "jp2", "pdf" -> throw IiifException.notImplemented("Format " + ext + " is not offered");
            default -> throw IiifException.badRequest("Invalid format: " + ext);
        };
    }

    private static OutputFormat offered(OutputFormat f) throws IiifException {
        if (!Encoders.available(f)) {
            throw IiifException.notImplemented("Format " + f.extension() + " is not offered by this server (its "
                    + "library is not installed)");
        }
        return f;
    }

    private static String identifier(String[] segs, int count) throws IiifException {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) id.append('/');
            id.append(decode(segs[i]));
        }
        if (id.isEmpty()) throw new IiifException(404, "No image identifier given");
        return id.toString();
    }

    /** Percent-decoding of one path segment: %XX as UTF-8 bytes, '+' kept; a broken escape or byte sequence is a 400. */
    static String decode(String s) throws IiifException {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) throw IiifException.badRequest("Malformed percent-encoding: " + s);
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw IiifException.badRequest("Identifier is not UTF-8: " + s);
        }
    }

    /** Percent-encoding for ids in info.json and Location: everything but RFC 3986's unreserved characters. */
    static String encode(String identifier) {
        StringBuilder out = new StringBuilder();
        for (byte b : identifier.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }
}
