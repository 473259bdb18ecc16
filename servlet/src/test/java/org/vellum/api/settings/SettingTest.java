package org.vellum.api.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A declaration read from each kind of source, and rendered. */
class SettingTest {
    /** A typed configuration as Declarative Services hands it over. */
    @interface Config {
        int pool_size() default 4;

        String[] stores() default {};

        String _password() default "";
    }

    private static final Setting<Integer> POOL = Setting.integer("pool.size", "POOL_SIZE", 4, "Connections").atLeast(1);
    private static final Setting<List<String>> STORES = Setting.list("stores", "STORES", List.of(), "Stores");
    private static final Setting<String> PASSWORD = Setting.text(".password", "PASSWORD", "", "<Secret> | key")
            .secret();

    private static Config config(Map<String, Object> values) {
        return (Config) java.lang.reflect.Proxy.newProxyInstance(Config.class.getClassLoader(),
                new Class<?>[] {Config.class}, (proxy, method, args) -> {
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @Test
    void aVariableIsParsedAndChecked() {
        assertEquals(8, POOL.read(SettingSource.variables(Map.of("POOL_SIZE", " 8 "))));
        assertEquals(1, POOL.read(SettingSource.variables(Map.of("POOL_SIZE", "-2"))));
        assertEquals(4, POOL.read(SettingSource.variables(Map.of("POOL_SIZE", "many"))), "unreadable: the default");
        assertEquals(4, POOL.read(SettingSource.variables(Map.of("POOL_SIZE", " "))), "blank: not given");
        assertEquals(List.of("0=/a", "2=/b"), STORES.read(SettingSource.variables(Map.of("STORES", "0=/a, 2=/b"))));
    }

    @Test
    void aStrictSettingRefusesWhatItCannotRead() {
        assertThrows(IllegalArgumentException.class,
                () -> POOL.strict().read(SettingSource.variables(Map.of("POOL_SIZE", "many"))));
    }

    @Test
    void aRequiredSettingMustBeGiven() {
        Setting<String> url = Setting.text("db.url", "DB_URL", null, "Database");
        assertTrue(url.required());
        assertThrows(IllegalArgumentException.class, () -> url.read(SettingSource.NONE));
    }

    @Test
    void aTypedConfigurationIsReadByItsMethods() {
        SettingSource given = SettingSource.configuration(Config.class,
                config(Map.of("pool_size", 9, "stores", new String[] {"0=/a"}, "_password", "x")));
        assertEquals(9, POOL.read(given));
        assertEquals(List.of("0=/a"), STORES.read(given));
        assertEquals("x", PASSWORD.read(given));
        assertEquals(1, POOL.read(SettingSource.configuration(Config.class, config(Map.of("pool_size", 0)))),
                "checked as a variable is");
    }

    @Test
    void anEarlierVariableIsReadWhenTheSettingIsNotGiven() {
        Setting<String> cors = Setting.text("cors", "CORS", "*", "CORS").deprecatedAlias("OLD_CORS");
        assertEquals("a", cors.read(SettingSource.variables(Map.of("OLD_CORS", "a"))));
        assertEquals("b", cors.read(SettingSource.variables(Map.of("OLD_CORS", "a", "CORS", "b"))));
        assertEquals("*", cors.read(SettingSource.NONE));
    }

    @Test
    void propertyNamesMapToMetatypeMethodsAsDeclarativeServicesDoes() {
        assertEquals("pool_size", POOL.methodName());
        assertEquals("_password", PASSWORD.methodName());
        assertEquals("max__cvt", Setting.integer("max_cvt", "X", 0, "x").methodName());
    }

    @Test
    void theTableHasOneRowPerSetting() {
        String table = SettingsDocument.markdownTable(List.of(POOL, PASSWORD));
        assertEquals("""
                | OSGi property | Environment variable | Type | Default | Description |
                |---|---|---|---|---|
                | `pool.size` | `POOL_SIZE` | integer | `4` | Connections |
                | `.password` | `PASSWORD` | text | *empty* | &lt;Secret> \\| key |
                """, table);
    }
}
