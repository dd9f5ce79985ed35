/**
 * Refuses import cycles anywhere in the repository, type-only imports included (`npm run lint`).
 *
 * ESLint's `import-x/no-cycle` skips `import type`, so a cycle made of type imports passes it;
 * this check does not. It reads every file `tsconfig.json` includes, takes each module specifier
 * (`import`, `import type`, `export … from`, `import()`), resolves it the way the compiler does
 * (so `@baton/engine` leads to the engine's source), and looks for strongly connected components
 * of the graph. Exit code 1 and one line per cycle when there is any.
 *
 * Usage: `node scripts/check-import-cycles.js [tsconfig]` (default `tsconfig.json`).
 */
import path from 'node:path';
import process from 'node:process';
import ts from 'typescript';

const configPath = path.resolve(process.argv[2] ?? 'tsconfig.json');
const read = ts.readConfigFile(configPath, ts.sys.readFile);
if (read.error !== undefined) fail(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
const config = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
const files = config.fileNames.filter((file) => /\.[cm]?tsx?$/.test(file)).map((file) => path.resolve(file));
const known = new Set(files);

/** file -> the files of the repository it imports (type-only imports too). */
const graph = new Map();
const cache = ts.createModuleResolutionCache(process.cwd(), (name) => name, config.options);
for (const file of files) {
  const info = ts.preProcessFile(ts.sys.readFile(file) ?? '', true, true);
  const targets = new Set();
  for (const { fileName } of info.importedFiles) {
    const resolved = ts.resolveModuleName(fileName, file, config.options, ts.sys, cache).resolvedModule;
    const target = resolved === undefined ? undefined : path.resolve(resolved.resolvedFileName);
    if (target !== undefined && known.has(target) && target !== file) targets.add(target);
  }
  graph.set(file, [...targets]);
}

const cycles = stronglyConnected(graph).filter((component) => component.length > 1);
if (cycles.length === 0) {
  process.stdout.write(`no import cycles in ${files.length} files\n`);
} else {
  for (const component of cycles) {
    process.stderr.write(`import cycle: ${describeCycle(component).join(' -> ')}\n`);
  }
  fail(`${cycles.length} import cycle(s), type-only imports included: break each one`);
}

/** Tarjan's algorithm, iterative (no recursion limit on long import chains). */
function stronglyConnected(edges) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  let next = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work = [{ node: root, child: 0 }];
    index.set(root, next);
    low.set(root, next);
    next += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = edges.get(frame.node) ?? [];
      if (frame.child < targets.length) {
        const target = targets[frame.child];
        frame.child += 1;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next);
          next += 1;
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, child: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** One concrete cycle through a component (a shortest path back to its first file), relative paths. */
function describeCycle(component) {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const target of graph.get(node) ?? []) {
      if (target === start) {
        const cycle = [start];
        for (let at = node; at !== undefined; at = previous.get(at)) cycle.splice(1, 0, at);
        cycle.splice(1, 1);
        return [...cycle, start].map((file) => path.relative(process.cwd(), file));
      }
      if (!members.has(target) || previous.has(target)) continue;
      previous.set(target, node);
      queue.push(target);
    }
  }
  return component.map((file) => path.relative(process.cwd(), file));
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
