-- Baton store, version 8: tenants, run titles, and the sign of life of running tasks.
--
-- Every run belongs to a tenant, and so does every row of it: events, phases, tasks, artifacts,
-- file contents and model calls carry the run's `tenant_id`, so a tenant's reads and writes filter
-- on it directly (see docs/engine.md, "Tenancy"). Runs made before this version belong to the
-- local tenant. The column is added with a default — PostgreSQL stores it once in the catalog, no
-- table is rewritten — and the default is then dropped: every write passes the run's tenant.

CREATE TABLE tenants (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  created_at timestamptz NOT NULL
);

INSERT INTO tenants (id, name, created_at) VALUES ('local', 'Local', now());

ALTER TABLE runs ADD COLUMN tenant_id text NOT NULL DEFAULT 'local' REFERENCES tenants (id);
ALTER TABLE runs ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE events ADD COLUMN tenant_id text NOT NULL DEFAULT 'local';
ALTER TABLE events ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE phases ADD COLUMN tenant_id text NOT NULL DEFAULT 'local';
ALTER TABLE phases ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE tasks ADD COLUMN tenant_id text NOT NULL DEFAULT 'local';
ALTER TABLE tasks ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE artifacts ADD COLUMN tenant_id text NOT NULL DEFAULT 'local';
ALTER TABLE artifacts ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE model_calls ADD COLUMN tenant_id text NOT NULL DEFAULT 'local';
ALTER TABLE model_calls ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE blobs ADD COLUMN tenant_id text NOT NULL DEFAULT 'local';
ALTER TABLE blobs ALTER COLUMN tenant_id DROP DEFAULT;

-- File contents are kept per tenant: a tenant must not learn whether another has a file. The key
-- leads with the hash, so a lookup by hash alone (the system scope's) uses it too.
ALTER TABLE blobs DROP CONSTRAINT blobs_pkey;
ALTER TABLE blobs ADD PRIMARY KEY (sha256, tenant_id);

-- The ledger outlives the runs it counts (a deleted run's calls were spent; budgets count them):
-- `run_id` stays, indexed (`model_calls_run_idx`), without a reference to `runs`.
ALTER TABLE model_calls DROP CONSTRAINT model_calls_run_id_fkey;

-- A run's title (`run_titled`), projected from its log; whether a person set it.
ALTER TABLE runs ADD COLUMN title text;
ALTER TABLE runs ADD COLUMN title_set_by_person boolean NOT NULL DEFAULT false;

-- A tenant's list of runs, newest first (keyset pages by created_at, id), optionally of one status
-- or one workflow. The list of all tenants keeps `runs_created_at_idx`.
CREATE INDEX runs_tenant_created_idx ON runs (tenant_id, created_at DESC, id DESC);
CREATE INDEX runs_tenant_status_idx ON runs (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX runs_tenant_workflow_idx ON runs (tenant_id, workflow_id, created_at DESC, id DESC);

-- When a running task's holder last showed life: set at the claim and by every renewed heartbeat.
ALTER TABLE tasks ADD COLUMN heartbeat_at timestamptz;
UPDATE tasks SET heartbeat_at = coalesce(claimed_at, created_at) WHERE status = 'running';
