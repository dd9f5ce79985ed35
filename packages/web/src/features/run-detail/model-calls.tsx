/**
 * A phase's model calls (`GET …/phases/:phase/calls`): attempt, model, tokens in, out and cached,
 * cost, latency and outcome, with the phase's totals from the run's usage (`GET …/usage`).
 */
import type { ModelCall } from '@baton/client';
import type { PhaseUsage, RunUsage } from '@baton/engine';
import { api } from '../../api.js';
import { ErrorNote } from '../../components/error-note.js';
import { formatCost, formatTime } from '../../components/format.js';
import { useAsync } from '../../components/use-async.js';

interface ModelCallsProps {
  readonly runId: string;
  readonly phaseId: string;
  /** The calls the run's view counts for the phase: when it changes, they are read again. */
  readonly count: number;
}

const tokens = new Intl.NumberFormat('en');

export function ModelCalls({ runId, phaseId, count }: ModelCallsProps) {
  const calls = useAsync(`${runId}/${phaseId}/${count}`, async (signal) => {
    const [list, usage] = await Promise.all([
      api.runs.calls(runId, phaseId, { signal }),
      api.runs.usage(runId, { signal }) as Promise<unknown> as Promise<RunUsage>,
    ]);
    return { calls: list.calls, total: usage.phases.find((phase) => phase.phaseId === phaseId) };
  });
  if (calls.status === 'loading') return <p className="hint">Loading the model calls…</p>;
  if (calls.status === 'error')
    return <ErrorNote title="Could not read the model calls" message={calls.message} />;
  if (calls.value.calls.length === 0) return <p className="hint">This phase has made no model calls.</p>;
  return <CallsTable calls={calls.value.calls} total={calls.value.total} />;
}

function CallsTable({ calls, total }: { readonly calls: readonly ModelCall[]; readonly total?: PhaseUsage }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Model calls">
      <table className="calls">
        <thead>
          <tr>
            <th scope="col">Attempt</th>
            <th scope="col">Model</th>
            <th scope="col" className="number">
              In
            </th>
            <th scope="col" className="number">
              Out
            </th>
            <th scope="col" className="number">
              Cost
            </th>
            <th scope="col" className="number">
              Time
            </th>
          </tr>
        </thead>
        <tbody>
          {calls.map((call, index) => (
            <tr key={index} title={formatTime(call.at)}>
              <td>
                {call.attempt}
                {call.status === 'error' ? (
                  <span className="call-error" title={call.error}>
                    {' '}
                    <span aria-hidden="true">✕</span> failed
                  </span>
                ) : null}
              </td>
              <td>
                {call.provider}/{call.model}
              </td>
              <td className="number">
                {tokens.format(call.inputTokens)}
                {call.cachedTokens > 0 ? (
                  <span className="cached"> ({tokens.format(call.cachedTokens)} cached)</span>
                ) : null}
              </td>
              <td className="number">{tokens.format(call.outputTokens)}</td>
              <td className="number">{formatCost(call.costUsd)}</td>
              <td className="number">{(call.latencyMs / 1000).toFixed(1)} s</td>
            </tr>
          ))}
        </tbody>
        {total === undefined ? null : (
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Total, {total.calls} {total.calls === 1 ? 'call' : 'calls'}
              </th>
              <td className="number">{tokens.format(total.inputTokens)}</td>
              <td className="number">{tokens.format(total.outputTokens)}</td>
              <td className="number">
                {formatCost(total.costUsd)}
                {total.unpricedCalls > 0 ? ` + ${total.unpricedCalls} unpriced` : ''}
              </td>
              <td />
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
