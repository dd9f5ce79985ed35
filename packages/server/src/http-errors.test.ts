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
});
