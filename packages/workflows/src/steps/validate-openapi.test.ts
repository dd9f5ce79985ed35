import { REVIEWER_OUTPUT_SCHEMA, validateJson, type BuiltinContext, type JsonValue } from '@baton/engine';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { builtinSteps } from './index.js';
import { checkOpenApi, validateOpenApi, validateOpenApiStep } from './validate-openapi.js';

const context: BuiltinContext = {
  runId: 'run-1',
  phaseId: 'validate-api',
  attempt: 1,
  runInputs: {},
  needs: ['api'],
  signal: new AbortController().signal,
  readBlob: () => Promise.resolve(undefined),
};

type Json = { [key: string]: JsonValue };

/** A small valid OpenAPI 3.1 document: one path, a path parameter, a component schema. */
function validDocument(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'Studio', version: '1.0.0' },
    paths: {
      '/classes/{classId}': {
        parameters: [{ name: 'classId', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: 'getClass',
          responses: {
            '200': {
              description: 'The class.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Class' } } },
            },
          },
        },
        delete: { operationId: 'cancelClass', responses: { '204': { description: 'Cancelled.' } } },
      },
    },
    components: {
      schemas: { Class: { type: ['object', 'null'], properties: { spotsLeft: { type: 'integer' } } } },
    },
  };
}

/** The same document with a response missing its required `description`. */
function invalidDocument(): Json {
  const document = validDocument();
  const responses = (((document.paths as Json)['/classes/{classId}'] as Json).get as Json).responses as Json;
  delete (responses['200'] as Json).description;
  return document;
}

async function run(inputs: Json): Promise<Json> {
  const result = await validateOpenApiStep.run(inputs, context);
  if (!result.ok) throw new Error(`the step failed: ${result.message}`);
  expect(validateJson(validateOpenApiStep.output!, result.output)).toEqual([]);
  // The engine reads it as a reviewer's verdict.
  expect(validateJson(REVIEWER_OUTPUT_SCHEMA, result.output)).toEqual([]);
  return result.output as Json;
}

describe('the validate-openapi step', () => {
  it('approves a valid OpenAPI 3.1 document, counting its paths and operations', async () => {
    expect(await run({ api: validDocument() })).toEqual({
      verdict: 'approve',
      summary:
        'api is a valid OpenAPI 3.1.0 document (1 path, 2 operations); checked by @readme/openapi-parser.',
      findings: [],
      documents: [{ phase: 'api', openapi: '3.1.0', valid: true, errors: 0, paths: 1, operations: 2 }],
    });
  });

  it("asks to revise an invalid document, with the library's own errors as blocking findings", async () => {
    const output = await run({ api: invalidDocument() });
    const library = await validate(structuredClone(invalidDocument()) as never, {
      resolve: { external: false },
    });
    if (library.valid) throw new Error('the library accepts the invalid document');
    expect(library.errors.length).toBeGreaterThan(0);
    expect(output.verdict).toBe('revise');
    expect(output.findings).toEqual(
      library.errors.map((error) => ({ severity: 'blocking', message: error.message })),
    );
    expect((output.findings as Json[])[0]!.message).toContain("must have required property 'description'");
    expect(output.summary).toBe(
      'api is not a valid OpenAPI 3.1 document (1 error); checked by @readme/openapi-parser.',
    );
  });

  it('reports a $ref that points nowhere, and never changes the document it checks', async () => {
    const document = validDocument();
    (((document.components as Json).schemas as Json).Class as Json).properties = {
      instructor: { $ref: '#/components/schemas/Instructor' },
    };
    const before = structuredClone(document);
    const report = await checkOpenApi(document);
    expect(report.errors.join('\n')).toContain('#/components/schemas/Instructor');
    expect(document).toEqual(before);
  });

  it('refuses another OpenAPI version with one clear error instead of that version’s rules', async () => {
    for (const [openapi, got] of [
      ['3.0.3', '"openapi": "3.0.3"'],
      [undefined, 'no "openapi" field'],
    ] as const) {
      const document = validDocument();
      if (openapi === undefined) delete document.openapi;
      else document.openapi = openapi;
      expect((await checkOpenApi(document)).errors).toEqual([
        `the document must be OpenAPI 3.1 ("openapi": "3.1.0" or a later 3.1.x), got ${got}`,
      ]);
    }
  });

  it('refuses a $ref outside the document, naming where it is, and never fetches it', async () => {
    const document = validDocument();
    ((document.components as Json).schemas as Json).Remote = { $ref: 'http://127.0.0.1:9/remote.json' };
    ((document.components as Json).schemas as Json).Local = { $ref: 'file:///etc/passwd' };
    const output = await run({ api: document });
    expect(output.verdict).toBe('revise');
    const messages = (output.findings as Json[]).map((finding) => finding.message as string);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('$ref "http://127.0.0.1:9/remote.json" at /components/schemas/Remote');
    expect(messages[1]).toContain('$ref "file:///etc/passwd" at /components/schemas/Local');
    expect(messages[0]).toContain('one self-contained document');
  });

  it('names the phase in each finding when it checks several documents', async () => {
    const output = await validateOpenApi({ public: validDocument(), admin: invalidDocument() });
    expect(output.verdict).toBe('revise');
    expect((output.findings as Json[]).map((finding) => (finding.message as string).split(' ')[0])).toEqual([
      'admin:',
    ]);
    expect(output.summary).toContain('public is a valid OpenAPI 3.1.0 document');
    expect(output.summary).toContain('admin is not a valid OpenAPI 3.1 document (1 error)');
  });

  it('approves with nothing checked when the API phase was skipped, and says so', async () => {
    const output = await validateOpenApi({}, ['api']);
    expect(output).toMatchObject({ verdict: 'approve', findings: [], documents: [] });
    expect(output.summary).toBe(
      'api did not run (skipped): nothing of it was checked; checked by @readme/openapi-parser.',
    );
  });

  it('takes only objects as its inputs (a string would be read as a file path)', () => {
    const input = validateOpenApiStep.input!;
    expect(validateJson(input, { api: validDocument() })).toEqual([]);
    expect(validateJson(input, { api: '/etc/passwd' })).not.toEqual([]);
    expect(validateJson(input, { api: [] })).not.toEqual([]);
  });

  it('is registered among the built-in steps under its name', () => {
    expect(builtinSteps['validate-openapi']).toBe(validateOpenApiStep);
  });
});
