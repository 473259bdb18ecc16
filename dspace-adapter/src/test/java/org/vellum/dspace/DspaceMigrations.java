package org.vellum.dspace;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

/**
 * DSpace's database schema built the way DSpace builds it: its own Flyway SQL migrations for PostgreSQL, taken from
 * the dspace-api jar by the build (target/test-classes/dspace-migrations, see pom.xml), applied in Flyway's version
 * order from V1.1 (the initial schema) to the newest, with the few Java migrations in that chain redone here in the
 * same places:
 * <ul>
 * <li>constraint drops (V1.3.9, V1.5.9, V5.0.2014.09.25, V6.0.2015.03.06): what DSpace's MigrationUtils does on
 * PostgreSQL, {@code ALTER TABLE t DROP CONSTRAINT t[_column]_suffix CASCADE};</li>
 * <li>the XML workflow (V5.0.2014.11.04, V6.0.2015.08.31, V7.0.2018.04.03): DSpace 7 and later always run it, so its
 * SQL files are applied as those classes apply them when the workflow tables are (or are not yet) there.</li>
 * </ul>
 * Left out, because on an empty database they only insert or delete rows, or they serve DSpace 5's basic workflow
 * or browse tables that no migration creates: V5.7.2017.05.05 and V6.1.2017.01.03 (basic-workflow policies),
 * V6.0.2016.01.26 (drop the browse tables), V7.0.2020.10.31 (handle URIs of communities and collections as
 * metadata). Migrations are not recorded anywhere (no flyway_schema_history): the database is a test's, made once.
 */
final class DspaceMigrations {
    /** The chain of the build's dspace.version; others lie beside it (dspace-migrations-7.6). */
    static final String LATEST = "dspace-migrations";
    private static final String UNDER = "/org/dspace/storage/rdbms/";

    private record Step(List<Integer> version, String name, Action action) {
    }

    private interface Action {
        void run(Statement st) throws SQLException, IOException;
    }

    private DspaceMigrations() {
    }

    /** Applies the whole chain of the build's DSpace version; returns the names of the steps run, in order. */
    static List<String> apply(DataSource ds) throws SQLException, IOException {
        return apply(ds, LATEST);
    }

    /** Applies the whole chain unpacked into test-classes/{chain}; returns the names of the steps run, in order. */
    static List<String> apply(DataSource ds, String chain) throws SQLException, IOException {
        Path root = root("/" + chain + UNDER);
        List<Step> steps = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("sqlmigration/postgres"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith("V") && name.endsWith(".sql")) {
                    steps.add(new Step(version(name), name, st -> st.execute(read(f))));
                }
            }
        }
        steps.add(new Step(List.of(1, 3, 9), "java: drop community_name_key",
                st -> dropConstraint(st, "community", "name", "key")));
        steps.add(new Step(List.of(1, 5, 9), "java: drop 1.6 primary keys", st -> {
            dropConstraint(st, "community2collection", "collection_id", "pkey");
            dropConstraint(st, "community2community", "child_comm_id", "pkey");
            dropConstraint(st, "collection2item", "item_id", "pkey");
        }));
        steps.add(new Step(List.of(5, 0, 2014, 9, 25), "java: drop metadatavalue_item_id_fkey",
                st -> dropConstraint(st, "metadatavalue", "item_id", "fkey")));
        steps.add(new Step(List.of(5, 0, 2014, 11, 4), "java: enable XML workflow", st -> {
            if (!tableExists(st, "cwf_workflowitem")) {
                st.execute(read(root.resolve("xmlworkflow/postgres/xml_workflow_migration.sql")));
                st.execute(read(root.resolve("xmlworkflow/postgres/data_workflow_migration.sql")));
            }
        }));
        steps.add(new Step(List.of(6, 0, 2015, 3, 6), "java: drop integer primary keys", st -> {
            for (String t : List.of("eperson", "epersongroup", "community", "collection", "item", "bundle",
                    "bitstream")) {
                dropConstraint(st, t, null, "pkey");
            }
        }));
        steps.add(new Step(List.of(6, 0, 2015, 8, 31), "java: XML workflow to UUIDs", st -> {
            if (tableExists(st, "cwf_workflowitem")) {
                st.execute(read(root.resolve(
                        "sqlmigration/workflow/postgres/xmlworkflow/V6.0_2015.08.11__DS-2701_Xml_Workflow_Migration.sql")));
            }
        }));
        steps.add(new Step(List.of(7, 0, 2018, 4, 3), "java: upgrade workflow policies", st -> {
            if (tableExists(st, "cwf_workflowitem")) {
                st.execute(read(root.resolve(
                        "sqlmigration/workflow/postgres/xmlworkflow/V7.0_2018.04.03__upgrade_workflow_policy.sql")));
            }
        }));
        steps.sort(Comparator.comparing(Step::version, DspaceMigrations::compare));
        List<String> done = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (Step s : steps) {
                try {
                    s.action.run(st);
                } catch (SQLException e) {
                    throw new SQLException("DSpace migration " + s.name + " failed: " + e.getMessage(), e);
                }
                done.add(s.name);
            }
        }
        return done;
    }

    /** Flyway's version of {@code V7.0_2019_06_14__x.sql}: its numbers, split at dots and underscores. */
    static List<Integer> version(String fileName) {
        String v = fileName.substring(1, fileName.indexOf("__"));
        return Arrays.stream(v.split("[._]")).map(Integer::valueOf).toList();
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int x = i < a.size() ? a.get(i) : 0;
            int y = i < b.size() ? b.get(i) : 0;
            if (x != y) return Integer.compare(x, y);
        }
        return 0;
    }

    /** DSpace's MigrationUtils.dropDBConstraint on PostgreSQL: the constraint is named {table}[_{column}]_{suffix}. */
    private static void dropConstraint(Statement st, String table, String column, String suffix) throws SQLException {
        String name = table + (suffix.equals("pkey") || column == null ? "" : "_" + column) + "_" + suffix;
        st.execute("ALTER TABLE " + table + " DROP CONSTRAINT " + name + " CASCADE");
    }

    private static boolean tableExists(Statement st, String table) throws SQLException {
        try (var rs = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static String read(Path f) throws IOException {
        return Files.readString(f, StandardCharsets.UTF_8);
    }

    /** The unpacked migrations: a folder in this module's build, or inside the test-jar when used from elsewhere. */
    private static Path root(String where) throws IOException {
        URL url = DspaceMigrations.class.getResource(where);
        if (url == null) {
            throw new IllegalStateException("DSpace's migrations are not on the class path (" + where + "): build with "
                    + "Maven, which unpacks them from org.dspace:dspace-api");
        }
        try {
            URI uri = url.toURI();
            if (!uri.getScheme().equals("jar")) return Path.of(uri);
            FileSystem fs;
            try {
                fs = FileSystems.getFileSystem(uri);
            } catch (FileSystemNotFoundException e) {
                fs = FileSystems.newFileSystem(uri, Map.of());
            }
            return fs.provider().getPath(uri);
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
