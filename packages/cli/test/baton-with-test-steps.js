#!/usr/bin/env node
// `baton` composed with the builtin steps of the CLI tests (`test-steps.ts`) besides
// `@baton/workflows`' own: a real process, as `bin/baton.js` starts it, that also runs the steps
// the tests define.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
const { builtinSteps } = await import('@baton/workflows');
const { testSteps } = await import('./test-steps.ts');
process.exitCode = await main(process.argv.slice(2), { builtinSteps: { ...builtinSteps, ...testSteps } });
