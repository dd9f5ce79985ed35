-- Baton store, version 9: local accounts — users, their memberships in tenants, browser sessions,
-- API tokens, the one-time setup tokens of a tenant without an owner, and idempotency keys.
--
-- Secrets are never stored: sessions, API tokens and setup tokens are kept as the SHA-256 of the
-- token (hex), passwords as a salted scrypt hash whose parameters travel in the string. Every row
-- that belongs to a tenant carries `tenant_id`, and every query filters on it. Users are the one
-- exception: a user may belong to several tenants (through `memberships`).

CREATE TABLE users (
  id            text PRIMARY KEY,
  -- As typed; unique regardless of case (see the index below). Logins compare lower(email).
  email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL,
  -- A disabled user's sessions and tokens are refused at once, and it cannot sign in.
  disabled_at   timestamptz
);

CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

CREATE TABLE memberships (
  tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('owner', 'member')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);

CREATE INDEX memberships_user_idx ON memberships (user_id);

-- Browser sessions (the `baton_session` cookie). A session belongs to one membership: removing the
-- membership removes its sessions. Ended sessions stay until purged, so that an ended session
-- reads as ended rather than unknown.
CREATE TABLE sessions (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL,
  user_id      text NOT NULL,
  token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  ended_at     timestamptz,
  FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE
);

CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id);

-- API tokens (`Authorization: Bearer baton_…`). `user_id` is null for a token made over the
-- home's Unix socket before (or without) an account: it acts as the tenant's local owner.
-- `prefix` is the token's first characters, shown in lists so that a person can tell tokens apart.
CREATE TABLE api_tokens (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id      text,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  prefix       text NOT NULL,
  -- Who made it (a user's email, or `local:<name>` over the socket); the actor of a user-less token.
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE
);

CREATE INDEX api_tokens_tenant_idx ON api_tokens (tenant_id, created_at);

-- One-time setup tokens of a tenant that has no owner yet. Each server start without an owner adds
-- one (so every link a server printed works); creating the owner deletes them all.
CREATE TABLE setup_tokens (
  token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL
);

CREATE INDEX setup_tokens_tenant_idx ON setup_tokens (tenant_id);

-- `Idempotency-Key` records: one per tenant, credential (`scope`: a session's or token's id, or
-- `socket`) and key. `response_status` is null while the first request is in flight; then the
-- stored response is replayed to every retry until the row expires (24 h; then the server sweeps it).
CREATE TABLE idempotency_keys (
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  scope           text NOT NULL,
  key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  method          text NOT NULL,
  path            text NOT NULL,
  -- SHA-256 (hex) of the method, the path with its query and the body.
  request_hash    text NOT NULL,
  created_at      timestamptz NOT NULL,
  response_status integer,
  response_type   text,
  response_body   text,
  completed_at    timestamptz,
  PRIMARY KEY (tenant_id, scope, key)
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (tenant_id, created_at);
