import type { Rule } from 'eslint';

/** See no-elapsed-time-assertion.js. */
declare const rule: Rule.RuleModule;
export default rule;
