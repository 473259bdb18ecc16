package org.vellum.pipeline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** RFC 1123 dates, as Last-Modified and If-Modified-Since carry them. */
public final class HttpDates {
    private static final DateTimeFormatter RFC1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    public static String format(long millis) {
        return RFC1123.format(Instant.ofEpochMilli(millis));
    }

    /** Milliseconds, or -1 when the header is absent or unreadable. */
    public static long parse(String value) {
        if (value == null || value.isBlank()) return -1;
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim())).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
