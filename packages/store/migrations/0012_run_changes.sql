-- Baton store, version 12: a commit-ordered change marker on every run, for the tenant stream
-- (`GET /api/events`, see `src/run-changes.ts` for why it cannot skip a change).
--
-- `changed_xid` is the id of the last transaction that changed what a dashboard shows of the run:
-- its row (created, status, title, last event), its phases (waiting for a person) or its usage
-- (a model call marks its run). Every UPDATE of the row sets it to `pg_current_xact_id()`; an
-- INSERT gets it from the default. A reader delivers only markers below the oldest transaction
-- still running (`pg_snapshot_xmin`), so a marker it has passed can never appear behind it.
--
-- Runs made before this version get 1 (a constant default: no table rewrite): no stream could
-- have been following them, and a new stream starts from the present. The default then becomes
-- the inserting transaction's id.

ALTER TABLE runs ADD COLUMN changed_xid xid8 NOT NULL DEFAULT '1';
ALTER TABLE runs ALTER COLUMN changed_xid SET DEFAULT pg_current_xact_id();

-- No index on `changed_xid`, on purpose: every step sets it, and an UPDATE that changes an indexed
-- column is never a HOT update — each step would write a new entry into every index of `runs`
-- (five of them) instead of none. The tenant stream reads one tenant's runs through
-- `runs_tenant_created_idx` and keeps those past its cursor: a scan of the tenant's runs, about
-- once a second per followed tenant and server, which is cheaper than taxing every step.

-- Deleted runs: a stream following the tenant learns that a run is gone. Written by the DELETE of
-- the run's row (same statement), swept after a while (`deleted_at`, by `baton serve`'s sweep); a
-- stream resuming from a cursor older than the sweep may miss a deletion (docs/server.md).
CREATE TABLE run_tombstones (
  tenant_id   text NOT NULL,
  run_id      text COLLATE "C" NOT NULL,
  changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  deleted_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, changed_xid, run_id)
);

CREATE INDEX run_tombstones_deleted_idx ON run_tombstones (deleted_at);
