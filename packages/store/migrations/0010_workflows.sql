-- Workflows uploaded to the server (`POST /api/workflows`), per tenant, every version kept.
--
-- `version` is the server's number for the upload: 1 for a new id, then one more than the latest
-- for each upload whose content differs from it (an upload equal to the latest makes no row).
-- `definition` is the normalised definition, its own `version` field set to that number (so a run
-- records which version it ran); `fixtures` the fixture set a run of it starts with (inline
-- fixtures only: an uploaded definition names no file); `source` the text as uploaded.

CREATE TABLE workflows (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  id          text NOT NULL,
  version     integer NOT NULL CHECK (version >= 1),
  description text,
  definition  jsonb NOT NULL,
  fixtures    jsonb NOT NULL,
  source      text NOT NULL,
  created_at  timestamptz NOT NULL,
  created_by  text NOT NULL,
  PRIMARY KEY (tenant_id, id, version)
);
