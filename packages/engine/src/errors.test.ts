import { describe, expect, it } from 'vitest';
import { BatonError, ErrorCode, errorCodeGuard, isBatonError, type BatonErrorOptions } from './errors.js';

/** A package's error class, as the adapters declare theirs. */
const WidgetErrorCode = { jammed: 'WIDGET_JAMMED', missing: 'WIDGET_MISSING' } as const;
type WidgetErrorCode = (typeof WidgetErrorCode)[keyof typeof WidgetErrorCode];
class WidgetError extends BatonError<WidgetErrorCode> {
  constructor(code: WidgetErrorCode, message: string, options?: BatonErrorOptions) {
    super(code, message, options);
    this.name = 'WidgetError';
  }
}
const isWidgetError = errorCodeGuard(WidgetErrorCode);

describe('Baton errors', () => {
  it('take the engine’s codes only, unless a package widens them', () => {
    const error = new BatonError(ErrorCode.runNotFound, 'no run "x"');
    expect(error).toMatchObject({
      code: 'RUN_NOT_FOUND',
      retryable: false,
      problems: [],
      name: 'BatonError',
    });
    // @ts-expect-error 'HOME_LOCKED' is the runtime's code, not the engine's: it does not compile.
    expect(new BatonError('HOME_LOCKED', 'locked').code).toBe('HOME_LOCKED');
    // @ts-expect-error a package's class takes its own codes only.
    expect(new WidgetError('RUN_NOT_FOUND', 'x').code).toBe('RUN_NOT_FOUND');
  });

  it('keeps cause, retryable and context', () => {
    const cause = new Error('socket closed');
    const error = new WidgetError(WidgetErrorCode.jammed, 'the widget jammed', {
      cause,
      retryable: true,
      context: { widget: 7 },
    });
    expect(error).toMatchObject({ code: 'WIDGET_JAMMED', retryable: true, context: { widget: 7 }, cause });
    expect(error.name).toBe('WidgetError');
  });

  it('isBatonError recognises any package’s error by its mark, never by its class or name', () => {
    const widget = new WidgetError(WidgetErrorCode.jammed, 'jammed');
    expect(isBatonError(widget)).toBe(true);
    expect(isBatonError(new BatonError(ErrorCode.internal, 'x'), ErrorCode.internal)).toBe(true);
    expect(isBatonError(new BatonError(ErrorCode.internal, 'x'), ErrorCode.badRequest)).toBe(false);
    // A lookalike is not one: same name and code, no mark.
    const lookalike = Object.assign(new Error('x'), { name: 'BatonError', code: 'INTERNAL' });
    expect(isBatonError(lookalike)).toBe(false);
    expect(isBatonError(undefined)).toBe(false);
    expect(isBatonError('INTERNAL')).toBe(false);
  });

  it('a package’s guard checks the code: its own codes, or the one asked for', () => {
    const jammed = new WidgetError(WidgetErrorCode.jammed, 'jammed');
    expect(isWidgetError(jammed)).toBe(true);
    expect(isWidgetError(jammed, WidgetErrorCode.jammed)).toBe(true);
    expect(isWidgetError(jammed, WidgetErrorCode.missing)).toBe(false);
    expect(isWidgetError(new BatonError(ErrorCode.internal, 'x'))).toBe(false);
    // @ts-expect-error the guard takes its package's codes only.
    expect(isWidgetError(jammed, 'INTERNAL')).toBe(false);
  });
});
