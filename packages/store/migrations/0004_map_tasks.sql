-- Baton store, version 4: map phases. A map's own attempts (reading its items, collecting its
-- instances' outputs) are queued like tool and agent attempts (see docs/engine.md, "Map").

ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('tool', 'agent', 'human', 'map'));
