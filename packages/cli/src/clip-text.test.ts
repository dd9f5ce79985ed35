import { describe, expect, it } from 'vitest';
import { clipEnd, clipStart } from './clip-text.js';

describe('clipEnd', () => {
  it('leaves text that fits as it is', () => {
    expect(clipEnd('cannot reach the service', 24)).toBe('cannot reach the service');
  });

  it('cuts after the last whole word that fits and adds an ellipsis', () => {
    expect(clipEnd('cannot reach the service at all', 20)).toBe('cannot reach the…');
  });

  it('never returns more than the room it is given', () => {
    const text = 'exited with code 1: the build could not find the module it was looking for';
    for (let max = 0; max < text.length; max++)
      expect([...clipEnd(text, max)].length).toBeLessThanOrEqual(max);
  });

  it('cuts inside a word only when the first word alone is too long', () => {
    expect(clipEnd('supercalifragilistic expialidocious', 10)).toBe('supercali…');
  });

  it('never splits a surrogate pair, an emoji sequence or a letter from its accent', () => {
    expect(clipEnd('🎉🎉🎉🎉', 3)).toBe('🎉🎉…');
    expect(clipEnd('👩‍💻👩‍💻👩‍💻', 2)).toBe('👩‍💻…');
    expect(clipEnd('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
    expect(clipEnd('𝒳𝒳𝒳 𝒳𝒳', 5)).toBe('𝒳𝒳𝒳…');
  });
});

describe('clipStart', () => {
  it('leaves text that fits as it is', () => {
    expect(clipStart('writing the plan', 20)).toBe('writing the plan');
  });

  it('keeps the latest whole words and starts with an ellipsis', () => {
    expect(clipStart('now writing the final summary', 16)).toBe('…final summary');
    expect(clipStart('now writing the final summary', 18)).toBe('…the final summary');
  });

  it('keeps a word that starts right where the room starts', () => {
    expect(clipStart('abc def', 4)).toBe('…def');
  });

  it('never returns more than the room it is given', () => {
    const text = 'the agent is typing a long answer about the module layout and its tests';
    for (let max = 0; max < text.length; max++)
      expect([...clipStart(text, max)].length).toBeLessThanOrEqual(max);
  });

  it('never splits a surrogate pair', () => {
    expect(clipStart('🎉🎉🎉🎉', 3)).toBe('…🎉🎉');
  });
});
