/**
 * What a running attempt is writing, as it writes it (the stream's `progress` frames), and when it
 * last showed activity — so a wedged agent does not look like a working one. The box keeps its
 * size while text streams in, scrolled to the end.
 */
import { useEffect, useRef } from 'react';
import type { RunStreamProgress } from '@baton/client';
import { formatAgo } from '../../components/format.js';
import { useNow } from '../../components/use-now.js';

interface LiveOutputProps {
  readonly progress: RunStreamProgress | undefined;
  readonly attempt: number;
  /** ISO 8601: the attempt's last heartbeat or progress. */
  readonly lastActivityAt: string | undefined;
}

const tokens = new Intl.NumberFormat('en');

export function LiveOutput({ progress, attempt, lastActivityAt }: LiveOutputProps) {
  const now = useNow(1000);
  const box = useRef<HTMLPreElement>(null);
  const current = progress !== undefined && progress.attempt === attempt ? progress : undefined;
  const text =
    current?.text ?? (current?.object === undefined ? undefined : JSON.stringify(current.object, null, 2));
  useEffect(() => {
    const element = box.current;
    if (element !== null) element.scrollTop = element.scrollHeight;
  }, [text]);
  const last = current === undefined ? lastActivityAt : new Date(current.at).toISOString();
  return (
    <div className="live-output">
      <p className="meta" role="status">
        Attempt {attempt}
        {current?.outputTokens === undefined
          ? null
          : ` · ${tokens.format(current.outputTokens)} tokens so far`}
        {last === undefined ? ' · no activity yet' : ` · last activity ${formatAgo(last, now)}`}
      </p>
      {text === undefined ? (
        <p className="hint">Nothing written yet: the output shows here as the agent writes it.</p>
      ) : (
        <pre ref={box} className="output streaming" tabIndex={0} aria-label="Output so far">
          {current?.textLength !== undefined &&
          current.text !== undefined &&
          current.textLength > current.text.length
            ? `…${text}`
            : text}
        </pre>
      )}
    </div>
  );
}
