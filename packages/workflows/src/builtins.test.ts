import { loadWorkflowText } from '@baton/runtime';
import { describe, expect, it } from 'vitest';
import { builtinNames, exportBuiltin, listBuiltins, loadBuiltin } from './registry.js';

/**
 * The built-ins shipped in `builtins/`: a built-in that does not load is a bug in Baton, so each
 * must load with its fixtures, be listed, and export to a text that validates on its own.
 */
describe('the built-in workflows of this package', () => {
  it('each loads with its fixtures, is listed, and exports to a self-contained text of the same workflow', async () => {
    const names = await builtinNames();
    expect(names).toEqual(['blueprint', 'feature', 'ui-variants']);
    expect((await listBuiltins()).map((builtin) => builtin.name)).toEqual(names);
    for (const name of names) {
      const loaded = await loadBuiltin(name);
      expect(loaded.workflow.id).toBe(name);
      const exported = await loadWorkflowText(await exportBuiltin(name), { allowFixturePaths: false });
      expect(exported.ok ? exported.loaded.workflow.phases.map((p) => p.id) : exported.problems).toEqual(
        loaded.workflow.phases.map((p) => p.id),
      );
    }
  });
});
