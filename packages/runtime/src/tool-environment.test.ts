import { describe, expect, it } from 'vitest';
import { hostToolEnvironment, inheritedToolEnvironment, toolEnvNameProblem } from './tool-environment.js';

const SERVER_ENV = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/baton',
  USER: 'baton',
  LOGNAME: 'baton',
  SHELL: '/bin/bash',
  LANG: 'en_GB.UTF-8',
  LC_ALL: 'en_GB.UTF-8',
  LC_TIME: 'C',
  TZ: 'Europe/London',
  TMPDIR: '/tmp/baton',
  BATON_SETUP_TOKEN: 'setup-secret',
  BATON_TOKEN: 'baton_secret',
  BATON_DATABASE_URL: 'postgres://baton:pw@db/baton',
  DATABASE_URL: 'postgres://app:pw@db/app',
  ANTHROPIC_API_KEY: 'sk-ant-secret',
  OPENAI_API_KEY: 'sk-secret',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
  HTTPS_PROXY: 'http://user:pw@proxy:3128',
  GH_TOKEN: 'ghp_secret',
  UNDEFINED: undefined,
};

describe('hostToolEnvironment', () => {
  it('keeps the path, home, user, shell, locale, time zone and temporary directory, and nothing else', () => {
    expect(hostToolEnvironment(SERVER_ENV)).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/baton',
      USER: 'baton',
      LOGNAME: 'baton',
      SHELL: '/bin/bash',
      LANG: 'en_GB.UTF-8',
      LC_ALL: 'en_GB.UTF-8',
      LC_TIME: 'C',
      TZ: 'Europe/London',
      TMPDIR: '/tmp/baton',
    });
  });

  it('adds the variables its operator names, when they are set', () => {
    const env = hostToolEnvironment(SERVER_ENV, ['GH_TOKEN', 'NOT_SET']);
    expect(env.GH_TOKEN).toBe('ghp_secret');
    expect('NOT_SET' in env).toBe(false);
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
  });
});

describe('inheritedToolEnvironment', () => {
  it('keeps everything but stale run inputs and map elements', () => {
    const env = inheritedToolEnvironment({ ...SERVER_ENV, BATON_INPUT_x: 'old', BATON_ITEM: 'old' });
    expect(env.ANTHROPIC_API_KEY).toBe('sk-ant-secret');
    expect(env.BATON_TOKEN).toBe('baton_secret');
    expect(env.BATON_INPUT_x).toBeUndefined();
    expect(env.BATON_ITEM).toBeUndefined();
    expect('UNDEFINED' in env).toBe(false);
  });
});

describe('toolEnvNameProblem', () => {
  it("accepts variable names and refuses Baton's own and anything that is not a name", () => {
    expect(toolEnvNameProblem('GH_TOKEN')).toBeUndefined();
    expect(toolEnvNameProblem('_x1')).toBeUndefined();
    expect(toolEnvNameProblem('BATON_TOKEN')).toMatch(/Baton's own/);
    expect(toolEnvNameProblem('baton_home')).toMatch(/Baton's own/);
    expect(toolEnvNameProblem('1ABC')).toMatch(/not an environment variable name/);
    expect(toolEnvNameProblem('A=B')).toMatch(/not an environment variable name/);
    expect(toolEnvNameProblem('')).toMatch(/not an environment variable name/);
  });
});
