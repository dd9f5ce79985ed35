/**
 * The `blueprint` fixtures as artifacts: every agent phase answered, each answer of the type its
 * phase produces (markdown, a file tree, the typed API), the API a valid OpenAPI 3.1 document by
 * the validator the run uses, and the merge step's state of them fitting its schema.
 */
import { createHash } from 'node:crypto';
import { validateJson, type BuiltinContext, type JsonValue } from '@baton/engine';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import {
  agentOf,
  finalOutput,
  loadRawFixtures,
  loadRawWorkflow,
  repliesOf,
  writtenFiles,
} from '../builtin-files.test-support.js';
import { mergeArchitectureStep } from '../steps/merge-architecture.js';
import { checkOpenApi, validateOpenApiStep } from '../steps/validate-openapi.js';

const workflow = loadRawWorkflow('blueprint');
const fixtures = loadRawFixtures('blueprint');
const agentPhases = workflow.phases.filter((phase) => phase.kind === 'agent').map((phase) => phase.id);

function entry(phaseId: string) {
  const found = fixtures[phaseId];
  if (found === undefined) throw new Error(`no fixture for ${phaseId}`);
  return found;
}

type Json = { [key: string]: JsonValue };
const api = finalOutput(entry('api')) as Json;

describe("the blueprint workflow's fixtures", () => {
  it('answer every agent phase, and nothing else', () => {
    expect(Object.keys(fixtures).sort()).toEqual([...agentPhases].sort());
  });

  it('answer each phase with its kind of artifact: markdown, a file tree, or the typed API', () => {
    const kinds = Object.fromEntries(
      agentPhases.map((id) => {
        const agent = agentOf(workflow, id);
        const output = finalOutput(entry(id));
        if (agent.tools?.includes('write_files')) {
          expect(writtenFiles(entry(id)).size, id).toBeGreaterThan(0);
          expect(typeof output, `${id}'s final words`).toBe('string');
          return [id, 'file tree'];
        }
        if (agent.output !== undefined) {
          expect(validateJson(agent.output, output), id).toEqual([]);
          return [id, 'json'];
        }
        expect(output, id).toMatch(/^# \S/);
        return [id, 'markdown'];
      }),
    );
    expect(kinds).toEqual({
      prd: 'markdown',
      data: 'file tree',
      design: 'file tree',
      logic: 'markdown',
      api: 'json',
      frontend: 'markdown',
      deployment: 'file tree',
    });
  });

  it('call only the tools each agent has, on safe relative paths, and end every file with a newline', () => {
    for (const phaseId of agentPhases) {
      const agent = agentOf(workflow, phaseId);
      for (const reply of repliesOf(entry(phaseId))) {
        for (const call of reply.toolCalls ?? []) {
          expect(agent.tools ?? [], `${phaseId} calls ${call.tool}`).toContain(call.tool);
          for (const file of (call.input as { files?: { path: string }[] }).files ?? [])
            expect(file.path, phaseId).not.toMatch(/(^|\/)\.\.?(\/|$)|^\//);
        }
      }
      for (const [path, content] of writtenFiles(entry(phaseId)))
        expect(content.endsWith('\n'), `${phaseId}: ${path}`).toBe(true);
    }
  });

  it('hold no secrets: passwords are placeholders and keys come from the environment or a secret store', () => {
    for (const phaseId of agentPhases) {
      const texts = [JSON.stringify(finalOutput(entry(phaseId))), ...writtenFiles(entry(phaseId)).values()];
      for (const text of texts) {
        expect(text, phaseId).not.toMatch(/sk-ant-|sk_live_|AKIA[0-9A-Z]{16}|BEGIN (RSA )?PRIVATE KEY/);
        // A connection string carries a password only when it is an obvious placeholder.
        expect(text, phaseId).not.toMatch(/postgres(ql)?:\/\/[^:\s/]+:(?!CHANGE_ME)[^@\s]+@/);
      }
    }
  });

  it('title the run "Yoga studio booking service": the first line of the PRD', () => {
    expect((finalOutput(entry(workflow.title.from)) as string).split('\n')[0]).toBe(
      '# Yoga studio booking service',
    );
  });

  it('answer the API with a valid OpenAPI 3.1 document, by the library and by the step', async () => {
    const library = await validate(structuredClone(api) as never, { resolve: { external: false } });
    expect(library.valid ? [] : library.errors).toEqual([]);
    expect(library).toMatchObject({ valid: true, warnings: [], specification: 'OpenAPI' });
    expect(api.openapi).toBe('3.1.0');
    const report = await checkOpenApi(api);
    expect(report).toMatchObject({ openapi: '3.1.0', errors: [], warnings: [] });
    expect(report.operations).toBeGreaterThanOrEqual(20);
    const step = await validateOpenApiStep.run({ api }, {
      needs: ['api'],
    } as unknown as BuiltinContext);
    expect(step).toMatchObject({ ok: true, output: { verdict: 'approve', findings: [] } });
  });

  it("merge, by the merge step, into one state holding every branch's files and document", async () => {
    const blobs = new Map<string, string>();
    const manifest = (phaseId: string): Json => ({
      files: [...writtenFiles(entry(phaseId))].map(([path, content]) => {
        const sha256 = createHash('sha256').update(content).digest('hex');
        blobs.set(sha256, content);
        return { path, sha256, size: Buffer.byteLength(content), mediaType: 'text/plain' };
      }),
      summary: finalOutput(entry(phaseId)),
    });
    const inputs = { data: manifest('data'), design: manifest('design'), logic: finalOutput(entry('logic')) };
    const context = {
      needs: ['data', 'design', 'logic'],
      readBlob: (sha256: string) => Promise.resolve(blobs.get(sha256)),
    } as unknown as BuiltinContext;
    const result = await mergeArchitectureStep.run(inputs, context);
    if (!result.ok) throw new Error(result.message);
    expect(validateJson(mergeArchitectureStep.output!, result.output)).toEqual([]);
    const state = result.output as { skipped: string[]; branches: Record<string, Json> };
    expect(state.skipped).toEqual([]);
    for (const phaseId of ['data', 'design']) {
      const files = state.branches[phaseId]!.files as { path: string; content?: string }[];
      expect(new Map(files.map((file) => [file.path, file.content]))).toEqual(writtenFiles(entry(phaseId)));
    }
    expect(state.branches.logic).toMatchObject({
      kind: 'markdown',
      document: finalOutput(entry('logic')),
      outline: expect.arrayContaining(['Business rules', 'Workflows', 'State machines']),
    });
  });
});
