import { createHash } from 'node:crypto';

const names = new Map<string, string>();

/**
 * The name a statement is prepared under: every statement of the store is fixed text (values
 * travel as parameters), so each is parsed and planned once per connection (PostgreSQL) or session
 * (PGlite) instead of on every call.
 */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    name = `baton_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    names.set(sql, name);
  }
  return name;
}
