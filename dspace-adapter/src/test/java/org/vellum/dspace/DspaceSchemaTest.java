package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The tables and columns the adapter's queries read are those DSpace's own migrations create (DspaceFixture builds its
 * database with them, so every adapter test runs its SQL against DSpace's real schema; this names the expectation).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DspaceSchemaTest {
    /** table.column to the PostgreSQL type the adapter's SQL and its JDBC getters assume. */
    private static final Map<String, String> READ = new TreeMap<>(Map.ofEntries(
            Map.entry("bitstream.uuid", "uuid"),
            Map.entry("bitstream.internal_id", "character varying"),
            Map.entry("bitstream.store_number", "integer"),
            Map.entry("bitstream.size_bytes", "bigint"),
            Map.entry("bitstream.checksum", "character varying"),
            Map.entry("bitstream.deleted", "boolean"),
            Map.entry("bitstream.bitstream_format_id", "integer"),
            Map.entry("bitstreamformatregistry.bitstream_format_id", "integer"),
            Map.entry("bitstreamformatregistry.mimetype", "character varying"),
            Map.entry("bundle2bitstream.bundle_id", "uuid"),
            Map.entry("bundle2bitstream.bitstream_id", "uuid"),
            Map.entry("bundle2bitstream.bitstream_order", "integer"),
            Map.entry("item2bundle.bundle_id", "uuid"),
            Map.entry("item2bundle.item_id", "uuid"),
            Map.entry("item.uuid", "uuid"),
            Map.entry("item.in_archive", "boolean"),
            Map.entry("item.withdrawn", "boolean"),
            Map.entry("item.discoverable", "boolean"),
            Map.entry("handle.handle", "character varying"),
            Map.entry("handle.resource_type_id", "integer"),
            Map.entry("handle.resource_id", "uuid"),
            Map.entry("metadatavalue.dspace_object_id", "uuid"),
            Map.entry("metadatavalue.metadata_field_id", "integer"),
            Map.entry("metadatavalue.text_value", "text"),
            Map.entry("metadatafieldregistry.metadata_field_id", "integer"),
            Map.entry("metadatafieldregistry.metadata_schema_id", "integer"),
            Map.entry("metadatafieldregistry.element", "character varying"),
            Map.entry("metadatafieldregistry.qualifier", "character varying"),
            Map.entry("metadataschemaregistry.metadata_schema_id", "integer"),
            Map.entry("metadataschemaregistry.short_id", "character varying"),
            Map.entry("resourcepolicy.dspace_object", "uuid"),
            Map.entry("resourcepolicy.action_id", "integer"),
            Map.entry("resourcepolicy.start_date", "date"),
            Map.entry("resourcepolicy.end_date", "date"),
            Map.entry("resourcepolicy.epersongroup_id", "uuid"),
            Map.entry("epersongroup.uuid", "uuid"),
            Map.entry("epersongroup.name", "character varying"),
            Map.entry("group2groupcache.parent_id", "uuid"),
            Map.entry("group2groupcache.child_id", "uuid"),
            Map.entry("resourcepolicy.eperson_id", "uuid"),
            Map.entry("resourcepolicy.rptype", "character varying"),
            Map.entry("epersongroup2eperson.eperson_group_id", "uuid"),
            Map.entry("epersongroup2eperson.eperson_id", "uuid"),
            Map.entry("eperson.uuid", "uuid"),
            Map.entry("eperson.session_salt", "character varying"),
            Map.entry("workspaceitem.item_id", "uuid"),
            Map.entry("cwf_workflowitem.item_id", "uuid"),
            Map.entry("item.owning_collection", "uuid"),
            Map.entry("community2collection.collection_id", "uuid"),
            Map.entry("community2collection.community_id", "uuid"),
            Map.entry("community2community.parent_comm_id", "uuid"),
            Map.entry("community2community.child_comm_id", "uuid"),
            Map.entry("bitstreamformatregistry.short_description", "character varying")));

    DspaceFixture db;

    @BeforeAll
    void setUp() throws Exception {
        db = new DspaceFixture();
    }

    @AfterAll
    void tearDown() throws Exception {
        if (db != null) db.close();
    }

    @Test
    void dspacesOwnMigrationsRanFromTheInitialSchemaToTheNewest() {
        List<String> steps = db.migrations;
        assertEquals("V1.1__Initial_DSpace_1.1_database_schema.sql", steps.get(0));
        assertTrue(steps.get(steps.size() - 1).startsWith("V8."), steps.get(steps.size() - 1));
        assertTrue(steps.size() > 60, steps.size() + " steps");
    }

    @Test
    void everyColumnTheAdapterReadsHasTheTypeItExpects() throws Exception {
        assertEquals(List.of(), wrongColumns(db));
    }

    /** The columns the adapter reads that this DSpace schema lacks or types otherwise, with what it has. */
    static List<String> wrongColumns(DspaceFixture db) throws java.sql.SQLException {
        Map<String, String> actual = new TreeMap<>();
        try (Connection c = db.ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT table_name, column_name, data_type FROM information_schema.columns "
                     + "WHERE table_schema = 'public'")) {
            while (rs.next()) actual.put(rs.getString(1) + "." + rs.getString(2), rs.getString(3));
        }
        List<String> wrong = new ArrayList<>();
        for (var e : READ.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) {
                wrong.add(e.getKey() + ": expected " + e.getValue() + ", DSpace has " + actual.get(e.getKey()));
            }
        }
        return wrong;
    }
}
