import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

// Each default hash costs real CPU on purpose (scrypt): on a loaded machine a test of several
// takes far longer than the default 5 s, which is no failure of theirs.
describe('password hashes', { timeout: 60_000 }, () => {
  it('verifies the password they were made from and refuses any other', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('keep the scrypt parameters and a fresh salt in the stored string, never the password', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    expect(first).not.toContain('horse');
  });

  it('verify with the parameters of the stored string', async () => {
    const cheap = await hashPassword('another good password', { N: 1024, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('another good password', cheap)).toBe(true);
  });

  it('treat the same text in another Unicode normal form as the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait please');
    expect(await verifyPassword('cafe\u0301 au lait please', stored)).toBe(true);
  });

  it('refuse, without throwing, a stored string that is malformed or asks for absurd parameters', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', 'plain text')).toBe(false);
    expect(await verifyPassword('correct horse battery staple', stored.replace('$32768$', '$1000$'))).toBe(
      false,
    );
    expect(
      await verifyPassword('correct horse battery staple', stored.replace('$32768$', '$16777216$')),
    ).toBe(false);
    expect(await verifyPassword('correct horse battery staple', stored.slice(0, -4))).toBe(false);
  });
});
