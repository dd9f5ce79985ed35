/**
 * Test support: inputs that count how often the code under test reads them. A test that guards
 * against quadratic blow-up compares this work at n and at 2n instead of timing the call (time
 * depends on the machine's load; the count does not). Speed itself is measured by `npm run bench`.
 */

/** How many reads were counted, in all or of one property name. */
export interface ReadCount {
  total(): number;
  of(key: string): number;
}

function counter(): { readonly count: ReadCount; readonly add: (key: string) => void } {
  const byKey = new Map<string, number>();
  return {
    add: (key) => byKey.set(key, (byKey.get(key) ?? 0) + 1),
    count: {
      total: () => [...byKey.values()].reduce((sum, n) => sum + n, 0),
      of: (key) => byKey.get(key) ?? 0,
    },
  };
}

/**
 * Copies of `records` whose own properties are enumerable getters that count each read (the
 * copies still work with `Object.keys`, spreading and `structuredClone`).
 */
export function countedRecords<T extends object>(records: readonly T[]): { records: T[]; reads: ReadCount } {
  const { count, add } = counter();
  const copies = records.map((record) => {
    const copy = {} as T;
    for (const [key, value] of Object.entries(record)) {
      Object.defineProperty(copy, key, {
        enumerable: true,
        get: () => {
          add(key);
          return value as unknown;
        },
      });
    }
    return copy;
  });
  return { records: copies, reads: count };
}

/** A read-only view of `items` that counts each read of an element (`of('element')`). */
export function countedList<T>(items: readonly T[]): { list: readonly T[]; reads: ReadCount } {
  const { count, add } = counter();
  const list = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) add('element');
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { list, reads: count };
}
