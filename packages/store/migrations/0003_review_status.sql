-- Baton store, version 3: review loops. A reviewed phase whose output waits for its reviewer's
-- verdict is `in_review` (see docs/engine.md, "Review loops").

ALTER TABLE phases DROP CONSTRAINT IF EXISTS phases_status_check;
ALTER TABLE phases ADD CONSTRAINT phases_status_check CHECK (status IN (
  'blocked', 'ready', 'running', 'waiting_for_human', 'in_review', 'completed',
  'failed', 'rejected', 'skipped', 'cancelled'
));
