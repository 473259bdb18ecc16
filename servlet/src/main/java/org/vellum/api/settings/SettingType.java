package org.vellum.api.settings;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The types a setting may have: each parses the text of an environment variable or context parameter, takes the
 * already typed value of an OSGi configuration, and names itself in the documentation and in the metatype interface.
 *
 * @param <T> the value's Java type
 */
public final class SettingType<T> {
    /** Text, taken as given: an empty value is a value. */
    public static final SettingType<String> TEXT = new SettingType<>("text", "String", s -> s, Object::toString,
            SettingType::quoted);
    /** A whole number; out of range saturates, so a check clamps it as it would any large value. */
    public static final SettingType<Integer> INTEGER = new SettingType<>("integer", "int",
            s -> (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Long.parseLong(s.trim()))),
            o -> ((Number) o).intValue(), String::valueOf);
    public static final SettingType<Long> LONG = new SettingType<>("integer", "long", s -> Long.parseLong(s.trim()),
            o -> ((Number) o).longValue(), v -> v + "L");
    /** A decimal number, as iipsrv reads its cache sizes ("0.5" is half a megabyte). */
    public static final SettingType<Double> NUMBER = new SettingType<>("number", "double", SettingType::finite,
            o -> ((Number) o).doubleValue(), SettingType::number);
    /** 1/0, true/false, yes/no, on/off. */
    public static final SettingType<Boolean> FLAG = new SettingType<>("true/false", "boolean", SettingType::flag,
            o -> o instanceof Boolean b ? b : flag(o.toString()), String::valueOf);
    /** Comma-separated in the environment, one entry per value in OSGi configuration. */
    public static final SettingType<List<String>> LIST = new SettingType<>("list", "String[]", SettingType::split,
            SettingType::listOf, SettingType::javaArray);

    private final String name;
    private final String javaType;
    private final Function<String, T> parse;
    private final Function<Object, T> convert;
    private final Function<T, String> javaLiteral;

    private SettingType(String name, String javaType, Function<String, T> parse, Function<Object, T> convert,
            Function<T, String> javaLiteral) {
        this.name = name;
        this.javaType = javaType;
        this.parse = parse;
        this.convert = convert;
        this.javaLiteral = javaLiteral;
    }

    /** How the documentation names the type. */
    public String name() {
        return name;
    }

    /** The return type of the metatype interface's method. */
    public String javaType() {
        return javaType;
    }

    /** The text of a variable as a value; null when blank and this is not text (not given). */
    T parse(String text) {
        if (this != TEXT && text.isBlank()) return null;
        return parse.apply(text);
    }

    /** A value from a source: text is parsed, anything else (a typed OSGi value) converted. */
    T convert(Object value) {
        if (value instanceof String s && this != LIST) return parse(s);
        return convert.apply(value);
    }

    String javaLiteral(T value) {
        return javaLiteral.apply(value);
    }

    /** The value as the documentation shows it. */
    String text(T value) {
        if (value instanceof List<?> l) return String.join(",", l.stream().map(Object::toString).toList());
        return value instanceof Double d ? number(d) : String.valueOf(value);
    }

    private static Double finite(String s) {
        double d = Double.parseDouble(s.trim());
        if (!Double.isFinite(d)) throw new NumberFormatException("not finite: " + s);
        return d;
    }

    private static Boolean flag(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not true or false: " + s);
        };
    }

    private static List<String> split(String s) {
        List<String> entries = new ArrayList<>();
        for (String e : s.split(",")) {
            if (!e.isBlank()) entries.add(e.trim());
        }
        return List.copyOf(entries);
    }

    private static List<String> listOf(Object o) {
        if (o instanceof String s) return split(s);
        if (o instanceof Iterable<?> it) {
            List<String> entries = new ArrayList<>();
            it.forEach(e -> entries.add(e.toString().trim()));
            return List.copyOf(entries);
        }
        if (o.getClass().isArray()) {
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < Array.getLength(o); i++) entries.add(String.valueOf(Array.get(o, i)).trim());
            return List.copyOf(entries);
        }
        return List.of(o.toString().trim());
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String javaArray(List<String> l) {
        return "{" + String.join(", ", l.stream().map(SettingType::quoted).toList()) + "}";
    }

    @Override
    public String toString() {
        return name;
    }
}
