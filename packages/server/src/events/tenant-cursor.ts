/**
 * The tenant stream's cursor, as it travels in SSE `id:` lines and comes back in `Last-Event-ID`
 * (or `?lastEventId=`): `<transaction id>:<run id>`, a position in the tenant's commit order
 * (`ChangePosition` of `@baton/store`). Clients treat it as opaque.
 */
import type { ChangePosition } from '@baton/store';
import { ApiError, ApiErrorCode } from '../http-errors.js';

/** Run ids are at most this long (the routes' `:id`); a cursor longer than that is not one of ours. */
const MAX_RUN_ID = 200;

/** The text of a position. */
export function encodeTenantCursor(position: ChangePosition): string {
  return `${position.xid}:${position.runId}`;
}

/**
 * The position a cursor names. Throws `INVALID_REQUEST` (422) for text that is not a cursor this
 * server gave out: reconnect without one and read the list again.
 */
export function decodeTenantCursor(text: string): ChangePosition {
  // A transaction id fits in 64 bits: at most 20 digits.
  const match = /^(\d{1,20}):([^\r\n]*)$/.exec(text);
  if (match === null || match[2]!.length > MAX_RUN_ID || BigInt(match[1]!) >= 2n ** 64n) {
    throw new ApiError(
      ApiErrorCode.invalidRequest,
      `"${text.slice(0, 60)}" is not a tenant stream cursor; reconnect without Last-Event-ID and read GET /api/runs again`,
      { problems: [{ path: 'lastEventId', message: 'not a cursor this server gave out' }] },
    );
  }
  return { xid: String(BigInt(match[1]!)), runId: match[2]! };
}
