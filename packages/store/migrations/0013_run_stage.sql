-- Baton store, version 13: a run's stage, projected like its title.
--
-- `stage` is the label of the last entry of the workflow's `stages:` that holds (the engine's
-- `runStage`, kept on the run state by the fold); NULL when none holds or the workflow names no
-- stages. Every step writes it with the rest of the run's row (`sql/write-step.ts`), so the run
-- list and the tenant stream read it without folding a run's events. Runs made before this version
-- get NULL: their workflows could not name stages. No index: nothing filters on it, and an
-- unindexed column keeps the step's UPDATE of the row HOT.

ALTER TABLE runs ADD COLUMN stage text;
