import { BatonError } from '@baton/engine';

/**
 * Subscribes a session to a notification channel. The session must be a dedicated connection,
 * never a pooled one: a LISTEN lasts as long as its session.
 */
export async function listen(
  session: { query(sql: string): Promise<unknown> },
  channel: string,
): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) {
    throw new BatonError('INTERNAL', `"${channel}" is not a plain lower-case channel name`);
  }
  await session.query(`LISTEN ${channel}`);
}
