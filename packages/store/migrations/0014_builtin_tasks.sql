-- Baton store, version 14: builtin phases. A `kind: builtin` phase's attempts (a named step run
-- in-process, see docs/engine.md, "Builtin steps") are queued like tool and agent attempts.

ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('tool', 'agent', 'human', 'map', 'builtin'));
