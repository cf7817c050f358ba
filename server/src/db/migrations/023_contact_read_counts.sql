-- Audited contact reads, collapsed: the chain gets one `contact_viewed` event per reader, complaint
-- and hour; this table counts every read in that hour (issue 11: 908 events on one complaint).
CREATE TABLE contact_read_counts (
  complaint_id  uuid NOT NULL REFERENCES complaints(id),
  reader_id     integer NOT NULL REFERENCES staff_users(id),
  hour          timestamptz NOT NULL,
  reads         integer NOT NULL DEFAULT 0,
  PRIMARY KEY (complaint_id, reader_id, hour)
);
CREATE INDEX contact_read_counts_reader ON contact_read_counts (reader_id, hour);
