-- The tasks of a run that are not done (queued or running), by key: a step finishes, dequeues and
-- claims among these, and must not scan every finished task of a long run to find them.
CREATE INDEX tasks_open_idx ON tasks (run_id, phase_id, attempt) WHERE status <> 'done';
