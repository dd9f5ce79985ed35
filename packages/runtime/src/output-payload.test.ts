import { describe, expect, it } from 'vitest';
import { classifyOutput, createOutputPayload, jsonPayload } from './output-payload.js';

describe('createOutputPayload', () => {
  it('treats a JSON object as application/json and keeps the text as written', () => {
    const text = ' {"a": 1}\n';
    const payload = createOutputPayload(text);
    expect(payload.mediaType).toBe('application/json');
    expect(payload.text).toBe(text);
  });

  it('treats a JSON array as application/json', () => {
    expect(createOutputPayload('[1, 2]').mediaType).toBe('application/json');
  });

  it('treats a bare JSON scalar as text unless JSON is expected', () => {
    expect(createOutputPayload('42').mediaType).toBe('text/plain');
    expect(createOutputPayload('"hi"').mediaType).toBe('text/plain');
    expect(createOutputPayload('42', { expectJson: true }).mediaType).toBe('application/json');
    expect(createOutputPayload('null', { expectJson: true }).mediaType).toBe('application/json');
  });

  it('treats text that is not JSON as text/plain even when JSON is expected', () => {
    expect(createOutputPayload('{ not json', { expectJson: true }).mediaType).toBe('text/plain');
    expect(createOutputPayload('', { expectJson: true }).mediaType).toBe('text/plain');
  });

  it('counts the size in UTF-8 bytes and hashes the text with SHA-256', () => {
    const payload = createOutputPayload('héllo');
    expect(payload.size).toBe(6);
    expect(payload.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(createOutputPayload('abc').sha256).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('jsonPayload', () => {
  it('serialises a value with a two-space indent as application/json', () => {
    const payload = jsonPayload({ a: [1] });
    expect(payload.mediaType).toBe('application/json');
    expect(payload.text).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it('serialises a string value as JSON text', () => {
    expect(jsonPayload('x').text).toBe('"x"');
    expect(classifyOutput(jsonPayload('x').text, { expectJson: true })).toBe('application/json');
  });
});
