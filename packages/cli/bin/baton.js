#!/usr/bin/env node
// Entry point of the `baton` command. The CLI is TypeScript run through tsx's loader, so a fresh
// `npm install` is all it needs (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
