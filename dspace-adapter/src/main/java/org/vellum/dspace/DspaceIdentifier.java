package org.vellum.dspace;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vellum.api.ResolverException;

/** What a DSpace identifier names: a bitstream by UUID, or the n-th JPEG 2000 of an item's ORIGINAL bundle. */
public sealed interface DspaceIdentifier {

    /** A bitstream UUID, as DSpace's IIIF manifests put it after {@code iiif.image.server}. */
    record Bitstream(UUID uuid) implements DspaceIdentifier {
    }

    /** {@code handle/{prefix}/{suffix}[/{n}]}: n counts from 1. */
    record Handle(String handle, int index) implements DspaceIdentifier {
    }

    Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Handle prefixes and suffixes as CNRI and DSpace issue them; anything else is refused before any SQL. */
    Pattern HANDLE_FORM = Pattern.compile("handle/([0-9A-Za-z._-]{1,64})/([0-9A-Za-z._-]{1,128})(?:/([1-9][0-9]{0,5}))?");

    /** Parses strictly; anything else is a 400, so only well-formed values ever reach the database. */
    static DspaceIdentifier parse(String identifier) throws ResolverException {
        if (identifier == null) throw malformed("");
        if (UUID_FORM.matcher(identifier).matches()) {
            return new Bitstream(UUID.fromString(identifier.toLowerCase(Locale.ROOT)));
        }
        Matcher m = HANDLE_FORM.matcher(identifier);
        if (m.matches() && !m.group(1).matches("\\.+") && !m.group(2).matches("\\.+")) {
            return new Handle(m.group(1) + "/" + m.group(2), m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
        }
        throw malformed(identifier);
    }

    private static ResolverException malformed(String identifier) {
        String shown = identifier.length() > 80 ? identifier.substring(0, 80) + "…" : identifier;
        return new ResolverException(400, "Not a DSpace identifier (a bitstream UUID or handle/prefix/suffix[/n]): "
                + shown.replaceAll("[\\p{Cntrl}]", "?"));
    }
}
