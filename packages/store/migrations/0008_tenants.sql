-- placeholder replaced by the tenancy change when merged
CREATE TABLE IF NOT EXISTS tenants (id text PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO tenants (id, name, created_at) VALUES ('local', 'Local', now()) ON CONFLICT DO NOTHING;
