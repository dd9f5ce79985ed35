/**
 * ESLint rule `baton/no-elapsed-time-assertion`: a test must not assert on elapsed wall-clock
 * time. On a loaded machine (CI, two cores shared by several jobs) any upper bound on elapsed time
 * eventually fails, and a lower bound only tests the timer. Count the work instead (compare n and
 * 2n), drive time with a fake clock, or wait for the event; speed belongs in `npm run bench`.
 *
 * It reports `expect(a).<comparison>(b)` (`toBeLessThan`, `toBeLessThanOrEqual`,
 * `toBeGreaterThan`, `toBeGreaterThanOrEqual`) when `a` or `b` reads the clock, and
 * `expect(<relational comparison>)` with any matcher when one side reads the clock. An expression
 * reads the clock when it calls `performance.now()`, `Date.now()`, `process.hrtime()`,
 * `process.hrtime.bigint()`, `process.uptime()` or `new Date()`, or names a variable assigned from
 * such an expression (followed through other variables). Reading the clock for anything else —
 * a deadline for polling, the start of a fake clock, an id — is fine, and so is comparing a
 * timestamp for equality.
 */

const COMPARISONS = new Set([
  'toBeLessThan',
  'toBeLessThanOrEqual',
  'toBeGreaterThan',
  'toBeGreaterThanOrEqual',
]);
const RELATIONAL = new Set(['<', '<=', '>', '>=']);
const FUNCTIONS = new Set(['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration']);

/** `object.property` with plain names (also `globalThis.object.property`). */
function isMember(node, object, property) {
  if (node?.type !== 'MemberExpression' || node.computed || node.property.type !== 'Identifier') return false;
  if (node.property.name !== property) return false;
  const target = node.object;
  if (target.type === 'Identifier') return target.name === object;
  return isMember(target, 'globalThis', object);
}

/** A direct read of the wall clock. */
function isClockRead(node) {
  if (node.type === 'NewExpression') {
    return node.callee.type === 'Identifier' && node.callee.name === 'Date' && node.arguments.length === 0;
  }
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee;
  return (
    isMember(callee, 'performance', 'now') ||
    isMember(callee, 'Date', 'now') ||
    isMember(callee, 'process', 'hrtime') ||
    isMember(callee, 'process', 'uptime') ||
    (callee.type === 'MemberExpression' &&
      !callee.computed &&
      callee.property.type === 'Identifier' &&
      callee.property.name === 'bigint' &&
      isMember(callee.object, 'process', 'hrtime'))
  );
}

/** Child nodes of `node` (not into nested functions, whose bodies run some other time). */
function* children(node) {
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (
        item !== null &&
        typeof item === 'object' &&
        typeof item.type === 'string' &&
        !FUNCTIONS.has(item.type)
      ) {
        yield item;
      }
    }
  }
}

/** The variable `identifier` names, looked up from `scope` outwards. */
function resolve(identifier, scope) {
  for (let current = scope; current !== null; current = current.upper) {
    const variable = current.set.get(identifier.name);
    if (variable !== undefined) return variable;
  }
  return undefined;
}

/** Does `node` read the clock, directly or through variables assigned from a clock read? */
function readsClock(node, scopeOf, seen = new Set()) {
  if (FUNCTIONS.has(node.type)) return false;
  if (isClockRead(node)) return true;
  if (node.type === 'Identifier') {
    const variable = resolve(node, scopeOf(node));
    if (variable === undefined || seen.has(variable)) return false;
    seen.add(variable);
    const sources = [];
    for (const def of variable.defs) {
      if (def.node.type === 'VariableDeclarator' && def.node.init) sources.push(def.node.init);
    }
    for (const reference of variable.references) {
      if (reference.writeExpr) sources.push(reference.writeExpr);
    }
    return sources.some((source) => readsClock(source, scopeOf, seen));
  }
  for (const child of children(node)) {
    // `a.b` : only the object can hold a clock-derived value; the property is a name.
    if (node.type === 'MemberExpression' && !node.computed && child === node.property) continue;
    if (node.type === 'Property' && !node.computed && child === node.key) continue;
    if (readsClock(child, scopeOf, seen)) return true;
  }
  return false;
}

/** A relational comparison inside `node` with one side that reads the clock. */
function hasClockComparison(node, scopeOf) {
  if (
    node.type === 'BinaryExpression' &&
    RELATIONAL.has(node.operator) &&
    (readsClock(node.left, scopeOf) || readsClock(node.right, scopeOf))
  ) {
    return true;
  }
  for (const child of children(node)) if (hasClockComparison(child, scopeOf)) return true;
  return false;
}

/** For a matcher call `expect(x)[.not|.resolves|.rejects].matcher(...)`: the `expect(...)` call. */
function expectCallOf(matcherCall) {
  let node = matcherCall.callee.object;
  while (node?.type === 'MemberExpression') node = node.object;
  if (node?.type !== 'CallExpression') return undefined;
  const callee = node.callee;
  const isExpect =
    (callee.type === 'Identifier' && callee.name === 'expect') ||
    (callee.type === 'MemberExpression' &&
      callee.object.type === 'Identifier' &&
      callee.object.name === 'expect');
  return isExpect ? node : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow assertions on elapsed wall-clock time in tests (they fail on a loaded machine).',
    },
    schema: [],
    messages: {
      elapsed:
        'This asserts on elapsed wall-clock time, which fails on a loaded machine. Count the work instead ' +
        '(compare n and 2n), drive time with a fake clock, or wait for the event; speed belongs in `npm run bench`.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const scopeOf = (node) => sourceCode.getScope(node);
    return {
      CallExpression(node) {
        if (node.callee.type !== 'MemberExpression' || node.callee.property.type !== 'Identifier') return;
        const expectCall = expectCallOf(node);
        if (expectCall === undefined) return;
        const subject = expectCall.arguments[0];
        if (subject === undefined) return;
        const comparison = COMPARISONS.has(node.callee.property.name);
        const flagged =
          (comparison && [subject, ...node.arguments].some((arg) => readsClock(arg, scopeOf))) ||
          hasClockComparison(subject, scopeOf);
        if (flagged) context.report({ node, messageId: 'elapsed' });
      },
    };
  },
};

export default rule;
