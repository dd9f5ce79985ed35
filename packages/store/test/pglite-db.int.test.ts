/**
 * The PGlite driver runs statements with parameters as prepared statements with their values
 * written as literals (`pglite-db.ts`): values must arrive exactly as they would as parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDb, type Db } from '../src/index.js';

describe('PGlite driver', () => {
  let db: Db;

  beforeAll(async () => {
    db = await openPgliteDb();
    await db.exec(
      `CREATE TABLE probe (id integer PRIMARY KEY, t text, n float8, b boolean, j jsonb, raw bytea)`,
    );
  });

  afterAll(async () => {
    await db.close();
  });

  const insert = `INSERT INTO probe (id, t, n, b, j, raw) VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`;
  const select = `SELECT t, n, b, j, raw FROM probe WHERE id = $1`;

  it('keeps strings with quotes, backslashes and unicode, numbers, booleans, NULL and JSON exact, called again and again', async () => {
    const text = `it's a \\'quoted\\' "string"; DROP TABLE probe; -- é ✓ 𝄞\n\t`;
    for (let id = 1; id <= 3; id += 1) {
      await db.query(insert, [id, text, -1.5e-7 * id, id % 2 === 0, JSON.stringify({ o: "it's", id }), null]);
      expect(await db.query(select, [id])).toEqual([
        { t: text, n: -1.5e-7 * id, b: id % 2 === 0, j: { o: "it's", id }, raw: null },
      ]);
    }
    await db.query(insert, [4, null, 1_700_000_000_003, true, null, null]);
    expect(await db.query(select, [4])).toEqual([
      { t: null, n: 1_700_000_000_003, b: true, j: null, raw: null },
    ]);
  });

  it('passes bytes and values without a literal form as parameters', async () => {
    await db.query(insert, [5, 'x', Number.NaN, false, '[]', Buffer.from([0, 1, 255])]);
    const [row] = await db.query<{ n: number; raw: Uint8Array }>(select, [5]);
    expect(row?.n).toBeNaN();
    expect([...row!.raw]).toEqual([0, 1, 255]);
  });

  it('runs a statement whose parameter types cannot be inferred, and one inside a transaction', async () => {
    expect(await db.query<{ v: string }>(`SELECT $1 AS v`, ['plain'])).toEqual([{ v: 'plain' }]);
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE probe SET t = $2 WHERE id = $1`, [1, "in a transaction's"]);
      expect(await tx.query(select, [1])).toMatchObject([{ t: "in a transaction's" }]);
    });
    expect(await db.query(select, [1])).toMatchObject([{ t: "in a transaction's" }]);
  });

  it('reports a refused statement with the database error', async () => {
    await expect(db.query(insert, [1, 'dup', 0, false, '{}', null])).rejects.toThrow(/duplicate key/);
  });
});
