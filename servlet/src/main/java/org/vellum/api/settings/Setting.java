package org.vellum.api.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One setting, declared once: its OSGi configuration property, its iipsrv-style environment variable (also the
 * servlet context parameter), its type, its default, the check that clamps or refuses a value, and one line of
 * documentation. The documentation table and the metatype interface are rendered from this declaration
 * ({@link SettingsDocument}); {@link #read} takes the value from a {@link SettingSource}.
 *
 * <p>The default is a constant, because it is also the metatype's default, which OSGi configuration hands over for
 * every property left out. A default that depends on the machine is therefore declared as 0 or -1 ("automatic"), which
 * the check turns into the machine's value.
 *
 * <p>A value that cannot be read as the type is, by default, left for the default with a warning, as iipsrv does;
 * a {@link #strict()} setting refuses it instead. Instances are immutable; each modifier returns a new declaration.
 *
 * @param <T> the value's Java type
 */
public final class Setting<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Setting.class);

    private final String property;
    private final String variable;
    private final SettingType<T> type;
    private final T defaultValue;
    private final String doc;
    private final UnaryOperator<T> check;
    private final List<String> aliases;
    private final String min;
    private final String max;
    private final boolean strict;
    private final boolean secret;

    private Setting(String property, String variable, SettingType<T> type, T defaultValue, String doc,
            UnaryOperator<T> check, List<String> aliases, String min, String max, boolean strict, boolean secret) {
        this.property = Objects.requireNonNull(property);
        this.variable = Objects.requireNonNull(variable);
        this.type = Objects.requireNonNull(type);
        this.defaultValue = defaultValue;
        this.doc = Objects.requireNonNull(doc);
        this.check = check;
        this.aliases = List.copyOf(aliases);
        this.min = min;
        this.max = max;
        this.strict = strict;
        this.secret = secret;
    }

    /**
     * A setting of the given type.
     *
     * @param property     the OSGi configuration property ({@code db.url} is the metatype method {@code db_url()})
     * @param variable     the environment variable and servlet context parameter
     * @param defaultValue the value when no source gives one; null makes the setting required
     * @param doc          one line for the documentation table and the metatype description
     */
    public static <T> Setting<T> of(String property, String variable, SettingType<T> type, T defaultValue,
            String doc) {
        return new Setting<>(property, variable, type, defaultValue, doc, UnaryOperator.identity(), List.of(), null,
                null, false, false);
    }

    public static Setting<String> text(String property, String variable, String defaultValue, String doc) {
        return of(property, variable, SettingType.TEXT, defaultValue, doc);
    }

    public static Setting<Integer> integer(String property, String variable, int defaultValue, String doc) {
        return of(property, variable, SettingType.INTEGER, defaultValue, doc);
    }

    public static Setting<Long> longInteger(String property, String variable, long defaultValue, String doc) {
        return of(property, variable, SettingType.LONG, defaultValue, doc);
    }

    public static Setting<Double> number(String property, String variable, double defaultValue, String doc) {
        return of(property, variable, SettingType.NUMBER, defaultValue, doc);
    }

    public static Setting<Boolean> flag(String property, String variable, boolean defaultValue, String doc) {
        return of(property, variable, SettingType.FLAG, defaultValue, doc);
    }

    public static Setting<List<String>> list(String property, String variable, List<String> defaultValue,
            String doc) {
        return of(property, variable, SettingType.LIST, defaultValue, doc);
    }

    /** A further check (clamp, normalise, or throw IllegalArgumentException), applied after the ones before. */
    public Setting<T> check(UnaryOperator<T> next) {
        UnaryOperator<T> first = check;
        return new Setting<>(property, variable, type, defaultValue, doc, v -> next.apply(first.apply(v)), aliases,
                min, max, strict, secret);
    }

    /** Clamped into {@code [lo, hi]}; the metatype states the bounds. */
    public <C extends Comparable<? super C>> Setting<T> within(C lo, C hi) {
        @SuppressWarnings("unchecked")
        UnaryOperator<T> clamp = v -> {
            C c = (C) v;
            return (T) (c.compareTo(lo) < 0 ? lo : c.compareTo(hi) > 0 ? hi : c);
        };
        Setting<T> s = check(clamp);
        return new Setting<>(property, variable, type, defaultValue, doc, s.check, aliases, lo.toString(),
                hi.toString(), strict, secret);
    }

    /** Raised to {@code lo} when below it. */
    public <C extends Comparable<? super C>> Setting<T> atLeast(C lo) {
        @SuppressWarnings("unchecked")
        UnaryOperator<T> floor = v -> ((C) v).compareTo(lo) < 0 ? (T) lo : v;
        return check(floor);
    }

    /**
     * An earlier environment variable, read (with a warning) when the setting itself is not given. There is no such
     * thing for an OSGi property: the configuration always holds every property of the metatype interface.
     */
    public Setting<T> deprecatedAlias(String oldVariable) {
        List<String> all = new ArrayList<>(aliases);
        all.add(oldVariable);
        return new Setting<>(property, variable, type, defaultValue, doc, check, all, min, max, strict, secret);
    }

    /** A value that cannot be read as the type stops start-up instead of falling back to the default. */
    public Setting<T> strict() {
        return new Setting<>(property, variable, type, defaultValue, doc, check, aliases, min, max, true, secret);
    }

    /** A password: a password field in the metatype, no default shown in the documentation. */
    public Setting<T> secret() {
        return new Setting<>(property, variable, type, defaultValue, doc, check, aliases, min, max, strict, true);
    }

    /**
     * The value the source gives (under the property or variable, else under an earlier variable), else the default;
     * checked.
     *
     * @throws IllegalArgumentException when a required setting is not given, a strict setting's value cannot be read,
     *                                  or the check refuses the value
     */
    public T read(SettingSource source) {
        T v = given(source, property, variable, null);
        for (int i = 0; v == null && i < aliases.size(); i++) {
            v = given(source, null, aliases.get(i), aliases.get(i));
        }
        if (v == null) v = defaultValue;
        if (v == null) throw new IllegalArgumentException(variable + " is not set");
        return check.apply(v);
    }

    private T given(SettingSource source, String property, String variable, String alias) {
        Object raw = source.find(property, variable);
        if (raw == null) return null;
        T v;
        try {
            v = type.convert(raw);
        } catch (RuntimeException e) {
            String name = alias == null ? variable : alias;
            if (strict) throw new IllegalArgumentException(name + " must be " + article() + ", not " + raw, e);
            LOG.warn("{}={} is not {}; using the default", name, raw, article());
            return null;
        }
        if (v != null && alias != null) {
            LOG.warn("{} is deprecated: read as {}; set {} instead", alias, this.variable, this.variable);
        }
        return v;
    }

    private String article() {
        if (type == SettingType.INTEGER || type == SettingType.LONG) return "an integer";
        return type == SettingType.FLAG ? "true or false" : "a " + type.name();
    }

    public String property() {
        return property;
    }

    public String variable() {
        return variable;
    }

    public SettingType<T> type() {
        return type;
    }

    /** The declared default, before the check (0 or -1 where the check turns it into a machine-dependent value). */
    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** Earlier environment variables, still read. */
    public List<String> aliases() {
        return aliases;
    }

    /** The lower bound stated in the metatype, or null. */
    public String min() {
        return min;
    }

    public String max() {
        return max;
    }

    public boolean required() {
        return defaultValue == null;
    }

    public boolean isSecret() {
        return secret;
    }

    public boolean isStrict() {
        return strict;
    }

    /** The method of the metatype interface, by the Declarative Services name mapping ({@code _} is {@code .}). */
    public String methodName() {
        return methodOf(property);
    }

    static String methodOf(String property) {
        return property.replace("_", "__").replace(".", "_");
    }

    /** The default as the documentation shows it. */
    public String defaultText() {
        return defaultValue == null ? "" : type.text(defaultValue);
    }

    String defaultJavaLiteral() {
        return type.javaLiteral(defaultValue);
    }

    @Override
    public String toString() {
        return variable;
    }
}
