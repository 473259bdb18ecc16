package org.vellum.fedora;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * W3C Turtle 1.1, the syntax of Fedora's root authorization file ({@code fcrepo.auth.webac.authorization}), read into
 * the same triples as {@link NTriples} (which is a subset of it): {@code @prefix}/{@code PREFIX}, {@code @base}/
 * {@code BASE}, relative IRIs against the base, prefixed names, {@code a}, {@code ;} and {@code ,} lists, blank nodes
 * ({@code _:x}, {@code [ ... ]}), collections, quoted (short and long) and numeric and boolean literals. Unlike
 * {@link NTriples}, which skips a line it cannot read, anything malformed is an error: a root authorization read in
 * part could open or close the whole repository.
 */
final class Turtle {
    private static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static final String XSD = "http://www.w3.org/2001/XMLSchema#";

    /** Malformed Turtle, with the line it was found on. */
    static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message);
        }
    }

    private final String s;
    private int i;
    private URI base;
    private final Map<String, String> prefixes = new HashMap<>();
    private final List<NTriples.Triple> out = new ArrayList<>();
    private int blank;

    private Turtle(String text, URI base) {
        this.s = text;
        this.base = base;
    }

    /** The document's triples; relative IRIs are resolved against {@code base} (the file's URI, as Jena does). */
    static List<NTriples.Triple> parse(String text, URI base) throws SyntaxException {
        Turtle t = new Turtle(text.startsWith("\uFEFF") ? text.substring(1) : text, base);
        t.document();
        return t.out;
    }

    private void document() throws SyntaxException {
        while (true) {
            ws();
            if (end()) return;
            if (peek() == '@') {
                String word = word();
                switch (word) {
                    case "@prefix" -> prefixDecl(true);
                    case "@base" -> baseDecl(true);
                    default -> throw error("unknown directive " + word);
                }
            } else if (keyword("PREFIX")) {
                prefixDecl(false);
            } else if (keyword("BASE")) {
                baseDecl(false);
            } else {
                triples();
                ws();
                expect('.');
            }
        }
    }

    private void prefixDecl(boolean dot) throws SyntaxException {
        ws();
        int start = i;
        while (!end() && peek() != ':' && !Character.isWhitespace(peek())) i++;
        String name = s.substring(start, i);
        if (!name.isEmpty() && !prefixName(name)) throw error("bad prefix name " + name);
        expect(':');
        ws();
        prefixes.put(name, iriRef());
        if (dot) {
            ws();
            expect('.');
        }
    }

    private void baseDecl(boolean dot) throws SyntaxException {
        ws();
        try {
            base = new URI(iriRef());
        } catch (URISyntaxException e) {
            throw error("bad base IRI: " + e.getMessage());
        }
        if (dot) {
            ws();
            expect('.');
        }
    }

    private void triples() throws SyntaxException {
        if (peek() == '[') {
            String node = blankNodePropertyList();
            ws();
            if (!end() && peek() != '.') predicateObjectList(node);
        } else {
            predicateObjectList(subject());
        }
    }

    private String subject() throws SyntaxException {
        char c = peek();
        if (c == '(') return collection();
        if (c == '_' && s.startsWith("_:", i)) return blankLabel();
        if (c == '"' || c == '\'' || c == '[') throw error("a literal cannot be a subject");
        return iri();
    }

    private void predicateObjectList(String subject) throws SyntaxException {
        while (true) {
            ws();
            String predicate = verb();
            while (true) {
                ws();
                object(subject, predicate);
                ws();
                if (end() || peek() != ',') break;
                i++;
            }
            ws();
            if (end() || peek() != ';') return;
            while (!end() && peek() == ';') {
                i++;
                ws();
            }
            if (end() || peek() == '.' || peek() == ']') return;
        }
    }

    private String verb() throws SyntaxException {
        if (keywordExact("a")) return RDF + "type";
        if (peek() == '_' || peek() == '[' || peek() == '(') throw error("a predicate must be an IRI");
        return iri();
    }

    private void object(String subject, String predicate) throws SyntaxException {
        if (end() || peek() == '.' && !(i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
            throw error("object expected");
        }
        char c = peek();
        boolean literal = false;
        String o;
        if (c == '"' || c == '\'') {
            o = quoted();
            literal = true;
        } else if (c == '[') {
            o = blankNodePropertyList();
        } else if (c == '(') {
            o = collection();
        } else if (c == '_' && s.startsWith("_:", i)) {
            o = blankLabel();
        } else if (c == '+' || c == '-' || Character.isDigit(c)
                || c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
            o = number();
            literal = true;
        } else if (keywordExact("true") || keywordExact("false")) {
            o = s.charAt(i - 1) == 'e' && s.charAt(i - 2) == 'u' ? "true" : "false";
            literal = true;
        } else {
            o = iri();
        }
        out.add(new NTriples.Triple(subject, predicate, o, literal));
    }

    private String blankNodePropertyList() throws SyntaxException {
        expect('[');
        String node = "_:genid" + blank++;
        ws();
        if (peek() != ']') predicateObjectList(node);
        ws();
        expect(']');
        return node;
    }

    private String collection() throws SyntaxException {
        expect('(');
        String head = RDF + "nil";
        String previous = null;
        while (true) {
            ws();
            if (end()) throw error("unterminated collection");
            if (peek() == ')') {
                i++;
                if (previous != null) out.add(new NTriples.Triple(previous, RDF + "rest", RDF + "nil", false));
                return head;
            }
            String node = "_:genid" + blank++;
            if (previous == null) {
                head = node;
            } else {
                out.add(new NTriples.Triple(previous, RDF + "rest", node, false));
            }
            object(node, RDF + "first");
            previous = node;
        }
    }

    private String blankLabel() throws SyntaxException {
        int start = i;
        i += 2;
        while (!end() && (nameChar(peek()) || peek() == '.')) i++;
        while (s.charAt(i - 1) == '.') i--;           // a label does not end with a dot: it ends the statement
        if (i == start + 2) throw error("empty blank node label");
        return "_:b_" + s.substring(start + 2, i);    // "_:b_" keeps document labels apart from generated ones
    }

    private String iri() throws SyntaxException {
        if (peek() == '<') return iriRef();
        int start = i;
        while (!end() && peek() != ':' && nameChar(peek())) i++;
        if (end() || peek() != ':') throw error("IRI or prefixed name expected at "
                + s.substring(start, Math.min(s.length(), start + 20)));
        String prefix = s.substring(start, i);
        String ns = prefixes.get(prefix);
        if (ns == null) throw error("undeclared prefix " + prefix + ":");
        i++;
        StringBuilder local = new StringBuilder();
        while (!end()) {
            char c = peek();
            if (c == '\\' && i + 1 < s.length() && "_~.-!$&'()*+,;=/?#@%".indexOf(s.charAt(i + 1)) >= 0) {
                local.append(s.charAt(i + 1));
                i += 2;
            } else if (c == '%' && i + 2 < s.length()) {
                local.append(s, i, i + 3);
                i += 3;
            } else if (nameChar(c) || c == ':' || c == '.') {
                local.append(c);
                i++;
            } else {
                break;
            }
        }
        while (local.length() > 0 && local.charAt(local.length() - 1) == '.') {   // the statement's dot
            local.setLength(local.length() - 1);
            i--;
        }
        return ns + local;
    }

    private String iriRef() throws SyntaxException {
        expect('<');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (end()) throw error("unterminated IRI");
            char c = s.charAt(i++);
            if (c == '>') break;
            if (c == '\\') {
                i = escape(b, i, false);
            } else if (c <= ' ' || "<\"{}|^`".indexOf(c) >= 0) {
                throw error("character " + (int) c + " not allowed in an IRI");
            } else {
                b.append(c);
            }
        }
        return resolve(b.toString());
    }

    private String resolve(String iri) throws SyntaxException {
        try {
            URI u = new URI(iri);
            if (u.isAbsolute() || base == null) return iri;
            if (iri.isEmpty()) {                       // <> is the document itself (URI.resolve("") drops its name)
                return new URI(base.getScheme(), base.getSchemeSpecificPart(), null).toString();
            }
            String resolved = base.resolve(u).toString();
            String scheme = base.getScheme() + ":";
            if (base.toString().startsWith(scheme + "///") && resolved.startsWith(scheme + "/")
                    && !resolved.startsWith(scheme + "//")) {
                resolved = scheme + "//" + resolved.substring(scheme.length());   // java.net.URI drops file:///'s //
            }
            return resolved;
        } catch (URISyntaxException e) {
            throw error("bad IRI <" + iri + ">: " + e.getReason());
        }
    }

    private String quoted() throws SyntaxException {
        char q = peek();
        boolean longForm = s.startsWith(String.valueOf(q).repeat(3), i);
        i += longForm ? 3 : 1;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (end()) throw error("unterminated string");
            char c = s.charAt(i);
            if (longForm ? s.startsWith(String.valueOf(q).repeat(3), i) : c == q) {
                i += longForm ? 3 : 1;
                break;
            }
            i++;
            if (c == '\\') {
                i = escape(b, i, true);
            } else if (!longForm && (c == '\n' || c == '\r')) {
                throw error("line break in a short string");
            } else {
                b.append(c);
            }
        }
        if (!end() && peek() == '@') {
            int start = ++i;
            while (!end() && (Character.isLetterOrDigit(peek()) || peek() == '-')) i++;
            if (i == start) throw error("empty language tag");
        } else if (s.startsWith("^^", i)) {
            i += 2;
            iri();
        }
        return b.toString();
    }

    /** The escape after a backslash at {@code at - 1}; the index after it. */
    private int escape(StringBuilder b, int at, boolean string) throws SyntaxException {
        if (at >= s.length()) throw error("dangling backslash");
        char e = s.charAt(at);
        if (e == 'u' || e == 'U') {
            int n = e == 'u' ? 4 : 8;
            if (at + 1 + n > s.length()) throw error("short \\" + e + " escape");
            try {
                b.appendCodePoint(Integer.parseInt(s.substring(at + 1, at + 1 + n), 16));
            } catch (IllegalArgumentException bad) {
                throw error("bad \\" + e + " escape");
            }
            return at + 1 + n;
        }
        if (!string) throw error("only \\u and \\U escapes are allowed in an IRI");
        switch (e) {
            case 't' -> b.append('\t');
            case 'b' -> b.append('\b');
            case 'n' -> b.append('\n');
            case 'r' -> b.append('\r');
            case 'f' -> b.append('\f');
            case '"' -> b.append('"');
            case '\'' -> b.append('\'');
            case '\\' -> b.append('\\');
            default -> throw error("unknown escape \\" + e);
        }
        return at + 1;
    }

    private String number() throws SyntaxException {
        int start = i;
        if (peek() == '+' || peek() == '-') i++;
        int digits = 0;
        while (!end() && Character.isDigit(peek())) {
            i++;
            digits++;
        }
        if (!end() && peek() == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
            i++;
            while (!end() && Character.isDigit(peek())) {
                i++;
                digits++;
            }
        }
        if (!end() && (peek() == 'e' || peek() == 'E')) {
            i++;
            if (!end() && (peek() == '+' || peek() == '-')) i++;
            int exp = i;
            while (!end() && Character.isDigit(peek())) i++;
            if (i == exp) throw error("bad exponent");
        }
        if (digits == 0) throw error("number expected");
        return s.substring(start, i);
    }

    private void ws() {
        while (!end()) {
            char c = peek();
            if (c == '#') {
                while (!end() && peek() != '\n' && peek() != '\r') i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                return;
            }
        }
    }

    private String word() {
        int start = i;
        i++;
        while (!end() && Character.isLetter(peek())) i++;
        return s.substring(start, i);
    }

    /** A SPARQL-style keyword (any case) followed by white space. */
    private boolean keyword(String k) {
        if (!s.regionMatches(true, i, k, 0, k.length())) return false;
        int after = i + k.length();
        if (after < s.length() && !Character.isWhitespace(s.charAt(after))) return false;
        i = after;
        return true;
    }

    private boolean keywordExact(String k) {
        if (!s.startsWith(k, i)) return false;
        int after = i + k.length();
        if (after < s.length() && (nameChar(s.charAt(after)) || s.charAt(after) == ':')) return false;
        i = after;
        return true;
    }

    private static boolean nameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '\u00B7' || c > 0x7F
                && !Character.isWhitespace(c);
    }

    private static boolean prefixName(String name) {
        if (!Character.isLetter(name.charAt(0)) && name.charAt(0) <= 0x7F) return false;
        if (name.endsWith(".")) return false;
        return name.chars().allMatch(c -> nameChar((char) c) || c == '.');
    }

    private void expect(char c) throws SyntaxException {
        if (end() || peek() != c) throw error("'" + c + "' expected" + (end() ? " at the end" : ", found '"
                + peek() + "'"));
        i++;
    }

    private boolean end() {
        return i >= s.length();
    }

    private char peek() {
        return s.charAt(i);
    }

    private SyntaxException error(String what) {
        int line = 1;
        for (int k = 0; k < Math.min(i, s.length()); k++) {
            if (s.charAt(k) == '\n') line++;
        }
        return new SyntaxException("line " + line + ": " + what);
    }
}
