/**
 * The largest integer a request may give where the database keeps a 32-bit `integer` (a version,
 * an event's seq): past it the query would fail, so the schema refuses it as 422 first.
 */
export const MAX_INT32 = 2_147_483_647;
