package org.vellum.fedora;

import java.util.ArrayList;
import java.util.List;

/**
 * The N-Triples Fedora 6 writes its RDF in (containers, descriptions, ACLs; W3C N-Triples 1.1): one triple a line,
 * IRIs in angle brackets, blank nodes as {@code _:label}, literals quoted with an optional language or datatype.
 * Only what access decisions need is kept: subject, predicate, and the object's IRI or lexical form. A line that
 * cannot be read is skipped, as it cannot make anything public that a readable one would not.
 */
final class NTriples {
    /** One statement; {@code object} is an IRI, a blank node label ({@code _:b0}) or a literal's lexical form. */
    record Triple(String subject, String predicate, String object, boolean objectIsLiteral) {
    }

    private NTriples() {
    }

    static List<Triple> parse(String text) {
        List<Triple> out = new ArrayList<>();
        for (String line : text.split("\r?\n|\r")) {
            Triple t = parseLine(line);
            if (t != null) out.add(t);
        }
        return out;
    }

    private static Triple parseLine(String line) {
        Cursor c = new Cursor(line);
        c.spaces();
        if (c.end() || c.peek() == '#') return null;
        String s = c.node(false);
        c.spaces();
        String p = c.node(false);
        c.spaces();
        boolean literal = !c.end() && c.peek() == '"';
        String o = c.node(true);
        if (s == null || p == null || o == null || s.startsWith("\"") || p.startsWith("_:")) return null;
        c.spaces();
        if (c.end() || c.peek() != '.') return null;
        return new Triple(s, p, o, literal);
    }

    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        boolean end() {
            return i >= s.length();
        }

        char peek() {
            return s.charAt(i);
        }

        void spaces() {
            while (!end() && (peek() == ' ' || peek() == '\t')) i++;
        }

        /** An IRI, a blank node, or (when allowed) a literal's lexical form; null when none is here. */
        String node(boolean literalAllowed) {
            if (end()) return null;
            char ch = peek();
            if (ch == '<') {
                int close = s.indexOf('>', i + 1);
                if (close < 0) return null;
                String iri = unescape(s.substring(i + 1, close));
                i = close + 1;
                return iri;
            }
            if (ch == '_' && s.startsWith("_:", i)) {
                int start = i;
                while (!end() && peek() != ' ' && peek() != '\t') i++;
                return s.substring(start, i);
            }
            if (ch == '"' && literalAllowed) {
                StringBuilder b = new StringBuilder();
                i++;
                while (!end() && peek() != '"') {
                    if (peek() == '\\' && i + 1 < s.length()) {
                        int consumed = escape(s, i, b);
                        if (consumed < 0) return null;
                        i += consumed;
                    } else {
                        b.append(peek());
                        i++;
                    }
                }
                if (end()) return null;
                i++;
                if (!end() && peek() == '@') {
                    while (!end() && peek() != ' ' && peek() != '\t' && peek() != '.') i++;
                } else if (s.startsWith("^^<", i)) {
                    int close = s.indexOf('>', i + 3);
                    if (close < 0) return null;
                    i = close + 1;
                }
                return b.toString();
            }
            return null;
        }
    }

    private static String unescape(String iri) {
        if (iri.indexOf('\\') < 0) return iri;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < iri.length(); ) {
            if (iri.charAt(i) == '\\') {
                int consumed = escape(iri, i, b);
                if (consumed < 0) return iri;
                i += consumed;
            } else {
                b.append(iri.charAt(i++));
            }
        }
        return b.toString();
    }

    /** Appends the escape at {@code at} (a backslash); the characters it took, or -1. */
    private static int escape(String s, int at, StringBuilder b) {
        char e = s.charAt(at + 1);
        switch (e) {
            case 't' -> b.append('\t');
            case 'b' -> b.append('\b');
            case 'n' -> b.append('\n');
            case 'r' -> b.append('\r');
            case 'f' -> b.append('\f');
            case '"' -> b.append('"');
            case '\'' -> b.append('\'');
            case '\\' -> b.append('\\');
            case 'u', 'U' -> {
                int n = e == 'u' ? 4 : 8;
                if (at + 2 + n > s.length()) return -1;
                try {
                    b.appendCodePoint(Integer.parseInt(s.substring(at + 2, at + 2 + n), 16));
                } catch (IllegalArgumentException bad) {
                    return -1;
                }
                return 2 + n;
            }
            default -> {
                return -1;
            }
        }
        return 2;
    }
}
