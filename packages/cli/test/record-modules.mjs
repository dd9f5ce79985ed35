// For `startup.int.test.ts`, through `NODE_OPTIONS=--import=…`: records the URL of every module the
// process loads (through the ES module loader: each package's entry, every TypeScript file), one a
// line, in the file `$BATON_TEST_MODULES_FILE`.
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  if (!url.startsWith('node:')) appendFileSync(process.env.BATON_TEST_MODULES_FILE, url + '\\n');
  return nextLoad(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
