import { describe, expect, it } from 'vitest';
import { isApiError } from '../http-errors.js';
import { readUpload, uploadFormat } from './read-upload.js';

describe('uploadFormat', () => {
  it('reads YAML and JSON content types, with or without a UTF-8 charset, in any case', () => {
    expect(uploadFormat('application/yaml')).toBe('yaml');
    expect(uploadFormat('Application/X-YAML; charset=UTF-8')).toBe('yaml');
    expect(uploadFormat('text/yaml;charset="utf8"')).toBe('yaml');
    expect(uploadFormat('application/json; charset=utf-8')).toBe('json');
  });

  it('refuses any other type, a missing one and another charset with UNSUPPORTED_MEDIA_TYPE', () => {
    for (const type of [
      undefined,
      '',
      'text/plain',
      'application/yaml-ish',
      'application/json; charset=latin1',
    ]) {
      let error: unknown;
      try {
        uploadFormat(type);
      } catch (caught) {
        error = caught;
      }
      expect(isApiError(error, 'UNSUPPORTED_MEDIA_TYPE')).toBe(true);
    }
  });
});

describe('readUpload', () => {
  it('returns the definition, its inline fixtures and the text as uploaded', async () => {
    const text =
      'id: wf\nfixtures: { a: { output: x } }\nphases:\n  - { id: a, kind: agent, agent: scripted }\n';
    const upload = await readUpload(new TextEncoder().encode(text), 'yaml', 'me');
    expect(upload).toMatchObject({
      source: text,
      createdBy: 'me',
      fixtures: { 'inline:workflow': { a: { output: 'x' } } },
    });
    expect(upload.workflow.fixtures).toBe('inline:workflow');
  });

  it('says how many problems there are in its message, and lists them all', async () => {
    const text = 'id: wf\nphases:\n  - { id: a, kind: tol }\n  - { id: b, kind: tool, run: x, neds: [] }\n';
    const error: unknown = await readUpload(new TextEncoder().encode(text), 'yaml', 'me').catch(
      (e: unknown) => e,
    );
    expect(isApiError(error, 'INVALID_WORKFLOW')).toBe(true);
    if (!isApiError(error)) return;
    expect(error.message).toBe(
      'the workflow is invalid: phases[0].kind: unknown kind "tol" (expected tool, agent, human, builtin or map; did you mean "tool"?) (and 1 more: see problems)',
    );
    expect(error.problems).toHaveLength(2);
  });
});
