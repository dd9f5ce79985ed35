-- Baton store, version 5: the ledger of model calls (see docs/agents.md, "Ledger"). One row per
-- call an agent made, written in its own transaction while the attempt runs; usage per phase and
-- per run is summed from it.

CREATE TABLE model_calls (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id        text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  phase_id      text NOT NULL,
  attempt       integer NOT NULL CHECK (attempt >= 1),
  agent         text NOT NULL,
  provider      text NOT NULL,
  model         text NOT NULL,
  input_tokens  integer NOT NULL CHECK (input_tokens >= 0),
  output_tokens integer NOT NULL CHECK (output_tokens >= 0),
  cached_tokens integer NOT NULL CHECK (cached_tokens >= 0),
  -- NULL: the price table has no price for the model.
  cost_usd      double precision CHECK (cost_usd >= 0),
  latency_ms    integer NOT NULL CHECK (latency_ms >= 0),
  status        text NOT NULL CHECK (status IN ('ok', 'error')),
  error         text,
  created_at    timestamptz NOT NULL
);

CREATE INDEX model_calls_run_idx ON model_calls (run_id, id);
