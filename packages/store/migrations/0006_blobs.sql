-- Baton store, version 6: file contents of file-tree artifacts, stored once each by SHA-256 (a
-- later version of a tree shares the files it did not change). The tree itself (its manifest of
-- paths and hashes) is an ordinary artifact.

CREATE TABLE blobs (
  sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size       integer NOT NULL CHECK (size >= 0),
  content    bytea NOT NULL,
  created_at timestamptz NOT NULL
);
