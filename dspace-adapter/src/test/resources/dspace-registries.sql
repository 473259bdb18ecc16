-- What a fresh DSpace adds when it first starts, after its migrations: it loads its registries (the dc.title field
-- from dublin-core-types.xml, formats from bitstream-formats.xml) and makes the Anonymous group (the fixture adds the
-- groups). Only the rows the tests need; ids as a fresh DSpace 7/8 gives them. The dc schema (id 1) comes from the
-- V1.4 migration.
INSERT INTO metadatafieldregistry (metadata_field_id, metadata_schema_id, element, qualifier, scope_note)
  VALUES (64, 1, 'title', NULL, 'Title'), (57, 1, 'title', 'alternative', 'Varying form of title');
INSERT INTO bitstreamformatregistry (bitstream_format_id, mimetype, short_description, description, support_level,
                                     internal)
  VALUES (1, 'application/octet-stream', 'Unknown', 'Unknown data format', 0, false),
         (12, 'image/jpeg', 'JPEG', 'Joint Photographic Experts Group/JPEG File Interchange Format (JFIF)', 1, false),
         (20, 'image/jp2', 'JPEG 2000', 'JPEG 2000 Image File Format', 1, false);
