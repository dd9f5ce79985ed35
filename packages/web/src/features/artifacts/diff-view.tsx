/**
 * A unified diff as a table: old and new line numbers, a `+` / `−` mark and the line, the words
 * that changed within a replaced line marked. Status is never colour alone: each changed line
 * carries its mark, and the table says how many lines were added and removed.
 */
import { useMemo } from 'react';
import { diffModel, type DiffPart, type DiffRow } from './diff-model.js';

interface DiffViewProps {
  readonly patch: string;
  readonly label: string;
}

export function DiffView({ patch, label }: DiffViewProps) {
  const model = useMemo(() => diffModel(patch), [patch]);
  if (model.rows.length === 0) return <p className="hint">No differences.</p>;
  return (
    <div className="diff" tabIndex={0} role="region" aria-label={label}>
      <p className="diff-summary">
        <span className="diff-added-count">+{model.added}</span>{' '}
        <span className="diff-removed-count">−{model.removed}</span>{' '}
        <span className="visually-hidden">
          {model.added} lines added, {model.removed} removed
        </span>
      </p>
      <table className="diff-table">
        <caption className="visually-hidden">{label}</caption>
        <tbody>
          {model.rows.map((row, index) => (
            <Row key={index} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const MARK = { context: ' ', added: '+', removed: '−' } as const;
const SPOKEN = { context: '', added: 'added', removed: 'removed' } as const;

function Row({ row }: { readonly row: DiffRow }) {
  if (row.kind === 'hunk')
    return (
      <tr className="diff-hunk">
        <td colSpan={4}>{row.text}</td>
      </tr>
    );
  return (
    <tr className={`diff-${row.kind}`}>
      <td className="diff-line-number">{row.oldLine ?? ''}</td>
      <td className="diff-line-number">{row.newLine ?? ''}</td>
      <td className="diff-mark">
        <span aria-hidden="true">{MARK[row.kind]}</span>
        {SPOKEN[row.kind] === '' ? null : <span className="visually-hidden">{SPOKEN[row.kind]}</span>}
      </td>
      <td className="diff-text">{row.parts === undefined ? row.text : <Parts parts={row.parts} />}</td>
    </tr>
  );
}

function Parts({ parts }: { readonly parts: readonly DiffPart[] }) {
  return parts.map((part, index) =>
    part.changed ? (
      <mark key={index} className="diff-word">
        {part.text}
      </mark>
    ) : (
      <span key={index}>{part.text}</span>
    ),
  );
}
