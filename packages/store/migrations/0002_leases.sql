-- Baton store, version 2: leases on claimed tasks (the durable multi-process queue).
--
-- A claim now sets `lease_token` (a random token the worker presents with its heartbeats and its
-- result) and `lease_expires_at` (renewed by the worker's heartbeats). A running task whose lease
-- expired is recovered: its attempt is recorded as lost and the phase runs again as a new attempt.
-- `worker_id` names the claimer (`host:pid`), for diagnostics only.

ALTER TABLE tasks ADD COLUMN worker_id text;

-- Tasks claimed by an older Baton have no lease: give them one that expires 30 s after their claim
-- (the default lease), so that recovery takes them over like any other abandoned task.
UPDATE tasks
   SET lease_expires_at = coalesce(claimed_at, created_at) + interval '30 seconds'
 WHERE status = 'running' AND lease_expires_at IS NULL;

-- Recovery and the wake-up timer look for the earliest lease expiry among running tasks.
CREATE INDEX tasks_lease_idx ON tasks (lease_expires_at) WHERE status = 'running';
