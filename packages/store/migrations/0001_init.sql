-- Baton store, version 1: runs, their event log, the phase projection, artifacts and the task queue.
--
-- Times are timestamptz; the store converts epoch milliseconds in SQL (`to_timestamp($n / 1000.0)`,
-- `round(extract(epoch FROM t) * 1000)`) so that PGlite and `pg` return the same JavaScript types.

CREATE TABLE runs (
  id               text PRIMARY KEY,
  workflow_id      text NOT NULL,
  workflow_version integer NOT NULL,
  status           text NOT NULL
    CHECK (status IN ('running', 'waiting', 'paused', 'completed', 'failed', 'cancelled')),
  -- Sequence number of the run's last event. Every transition updates it under the row lock.
  last_seq         integer NOT NULL CHECK (last_seq >= 1),
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  created_by       text NOT NULL
);

CREATE INDEX runs_created_at_idx ON runs (created_at DESC, id DESC);

-- The durable log. Append-only and gap-free: a transition appends `last_seq + 1 …` while it holds
-- the run's row lock, and the primary key refuses a second writer of the same number.
CREATE TABLE events (
  run_id     text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq        integer NOT NULL CHECK (seq >= 1),
  type       text NOT NULL,
  -- The event body without `type`, `seq` and `at` (those are columns).
  data       jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- Events are never rewritten. (Deleting is left possible so that a whole run can be removed.)
CREATE FUNCTION baton_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only (run %, seq %)', OLD.run_id, OLD.seq;
END;
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION baton_events_append_only();

-- Projection of each phase's status, for queries that should not fold the log.
CREATE TABLE phases (
  run_id     text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  phase_id   text NOT NULL,
  status     text NOT NULL CHECK (status IN (
    'blocked', 'ready', 'running', 'waiting_for_human', 'completed',
    'failed', 'rejected', 'skipped', 'cancelled'
  )),
  attempt    integer NOT NULL CHECK (attempt >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (run_id, phase_id)
);

-- Artifact versions and their content. Versions only grow per phase.
CREATE TABLE artifacts (
  run_id     text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  phase_id   text NOT NULL,
  attempt    integer NOT NULL,
  version    integer NOT NULL CHECK (version >= 1),
  media_type text NOT NULL,
  size       integer NOT NULL CHECK (size >= 0),
  sha256     text NOT NULL,
  content    bytea NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (run_id, phase_id, version)
);

-- The task queue: one row per attempt of a tool or agent phase.
--   queued  -> running (claimed)  -> done (its result arrived, even a stale one)
--   queued  -> deleted (dequeued, or its claim was stale)
CREATE TABLE tasks (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id           text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  phase_id         text NOT NULL,
  attempt          integer NOT NULL CHECK (attempt >= 1),
  kind             text NOT NULL CHECK (kind IN ('tool', 'agent', 'human')),
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done')),
  run_at           timestamptz NOT NULL,
  created_at       timestamptz NOT NULL,
  claimed_at       timestamptz,
  finished_at      timestamptz,
  -- Reserved for the multi-process queue (a worker's lease on a running task).
  lease_token      text,
  lease_expires_at timestamptz,
  UNIQUE (run_id, phase_id, attempt)
);

-- Claiming scans due queued tasks in (run_at, id) order.
CREATE INDEX tasks_due_idx ON tasks (run_at, id) WHERE status = 'queued';
-- Crash recovery lists running tasks.
CREATE INDEX tasks_running_idx ON tasks (run_id) WHERE status = 'running';
