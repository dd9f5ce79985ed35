import { homeBusyError } from '@baton/runtime';
import { StoreError, StoreErrorCode } from '@baton/store';
import { describe, expect, it } from 'vitest';
import { errorResponse } from './http-errors.js';

describe('the error response', () => {
  it("answers a storage error with 503 and never the database's own words", () => {
    const error = new StoreError(StoreErrorCode.storage, 'invalid byte sequence for encoding "UTF8": 0x00');
    expect(errorResponse(error)).toEqual({
      status: 503,
      body: {
        error: {
          code: 'STORAGE_ERROR',
          message: 'the database could not answer; try again (the server log has the details)',
        },
      },
    });
  });

  it('keeps the message of a refusal (4xx)', () => {
    const error = new StoreError('INVALID_REQUEST' as StoreErrorCode, 'name: too long');
    expect(errorResponse(error).body.error.message).toBe('name: too long');
  });

  it('answers HOME_BUSY with 409 and the message naming the holder and its run', () => {
    const error = homeBusyError(
      { home: '/srv/baton', command: 'baton run', pid: 42, runId: 'review-abc123' },
      'cannot start a run here',
    );
    expect(errorResponse(error)).toEqual({
      status: 409,
      body: {
        error: {
          code: 'HOME_BUSY',
          message:
            'cannot start a run here: /srv/baton is held by `baton run` (pid 42), which executes only run review-abc123 — wait for it to end, or stop it and start `baton serve` to run several at once',
        },
      },
    });
  });
});
