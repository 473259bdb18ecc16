-- The part of DSpace 7/8/9's PostgreSQL schema the adapter reads, with the column names and types DSpace's Flyway
-- migrations leave after V6.0 (DS-2701, UUIDs) and V5.0 DS-1582 (bundle and bitstream names moved to metadata),
-- transcribed for the tests, not copied: legacy integer ids kept where DSpace keeps them.
CREATE TABLE dspaceobject (uuid uuid PRIMARY KEY);

CREATE TABLE epersongroup (
  uuid uuid PRIMARY KEY REFERENCES dspaceobject(uuid),
  eperson_group_id integer,
  permanent boolean DEFAULT false,
  name varchar(250) UNIQUE
);
CREATE TABLE group2groupcache (
  parent_id uuid NOT NULL REFERENCES epersongroup(uuid),
  child_id uuid NOT NULL REFERENCES epersongroup(uuid),
  PRIMARY KEY (parent_id, child_id)
);

CREATE TABLE metadataschemaregistry (
  metadata_schema_id integer PRIMARY KEY,
  namespace varchar(256) UNIQUE,
  short_id varchar(32) UNIQUE
);
CREATE TABLE metadatafieldregistry (
  metadata_field_id integer PRIMARY KEY,
  metadata_schema_id integer NOT NULL REFERENCES metadataschemaregistry(metadata_schema_id),
  element varchar(64),
  qualifier varchar(64),
  scope_note text
);
CREATE TABLE metadatavalue (
  metadata_value_id integer PRIMARY KEY,
  metadata_field_id integer REFERENCES metadatafieldregistry(metadata_field_id),
  text_value text,
  text_lang varchar(24),
  place integer,
  authority varchar(100),
  confidence integer DEFAULT -1,
  dspace_object_id uuid REFERENCES dspaceobject(uuid)
);

CREATE TABLE bitstreamformatregistry (
  bitstream_format_id integer PRIMARY KEY,
  mimetype varchar(256),
  short_description varchar(128) UNIQUE,
  description text,
  support_level integer,
  internal boolean
);
CREATE TABLE bitstream (
  bitstream_id integer,
  bitstream_format_id integer REFERENCES bitstreamformatregistry(bitstream_format_id),
  checksum varchar(64),
  checksum_algorithm varchar(32),
  internal_id varchar(256),
  deleted boolean,
  store_number integer,
  sequence_id integer,
  size_bytes bigint,
  uuid uuid PRIMARY KEY REFERENCES dspaceobject(uuid)
);
CREATE TABLE bundle (
  bundle_id integer,
  uuid uuid PRIMARY KEY REFERENCES dspaceobject(uuid),
  primary_bitstream_id uuid REFERENCES bitstream(uuid)
);
CREATE TABLE item (
  item_id integer,
  in_archive boolean,
  withdrawn boolean,
  discoverable boolean,
  last_modified timestamp with time zone,
  uuid uuid PRIMARY KEY REFERENCES dspaceobject(uuid),
  submitter_id uuid,
  owning_collection uuid
);
CREATE TABLE item2bundle (
  bundle_id uuid NOT NULL REFERENCES bundle(uuid),
  item_id uuid NOT NULL REFERENCES item(uuid),
  PRIMARY KEY (bundle_id, item_id)
);
CREATE TABLE bundle2bitstream (
  bitstream_order_legacy integer,
  bundle_id uuid NOT NULL REFERENCES bundle(uuid),
  bitstream_id uuid NOT NULL REFERENCES bitstream(uuid),
  bitstream_order integer NOT NULL,
  PRIMARY KEY (bitstream_id, bundle_id, bitstream_order)
);
CREATE TABLE handle (
  handle_id integer PRIMARY KEY,
  handle varchar(256) UNIQUE,
  resource_type_id integer,
  resource_legacy_id integer,
  resource_id uuid REFERENCES dspaceobject(uuid)
);
CREATE TABLE resourcepolicy (
  policy_id integer PRIMARY KEY,
  resource_type_id integer,
  resource_id integer,
  action_id integer,
  start_date date,
  end_date date,
  rpname varchar(30),
  rptype varchar(30),
  rpdescription text,
  eperson_id uuid,
  epersongroup_id uuid REFERENCES epersongroup(uuid),
  dspace_object uuid REFERENCES dspaceobject(uuid)
);
CREATE INDEX resourcepolicy_object_idx ON resourcepolicy (dspace_object, action_id);

-- The rows a fresh DSpace has: the dc schema and title field, the Anonymous and Administrator groups, formats.
INSERT INTO metadataschemaregistry VALUES (1, 'http://dublincore.org/documents/dcmi-terms/', 'dc');
INSERT INTO metadatafieldregistry VALUES (64, 1, 'title', NULL, 'Title');
INSERT INTO metadatafieldregistry VALUES (57, 1, 'title', 'alternative', 'Varying form of title');
INSERT INTO bitstreamformatregistry VALUES (1, 'application/octet-stream', 'Unknown', 'Unknown data format', 0, false);
INSERT INTO bitstreamformatregistry VALUES (12, 'image/jpeg', 'JPEG', 'Joint Photographic Experts Group/JPEG File Interchange Format (JFIF)', 1, false);
INSERT INTO bitstreamformatregistry VALUES (20, 'image/jp2', 'JPEG 2000', 'JPEG 2000 Image File Format', 1, false);
