/**
 * The frames of the run stream, as Server-Sent Events text (`docs/server.md`, "The run stream"):
 * durable events with `id:` (their seq), the snapshot with the seq it reflects, and ephemeral
 * frames without `id:` (progress, an attempt's heartbeat), which a client's `Last-Event-ID` never
 * points at. Data is one line of JSON (JSON never holds a raw newline), so each frame is exact.
 */
import type { PhaseProgressEvent, RunEvent } from '@baton/engine';
import { eventAliases } from './event-aliases.js';

/** A durable event: `id: <seq>`, `event: <type>`, the event with its aliases. */
export function eventFrame(event: RunEvent): string {
  const data = JSON.stringify({ ...event, aliases: eventAliases(event.type) });
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${data}\n\n`;
}

/** The first frame of a stream without a resume point: the run's view as of `seq`. */
export function snapshotFrame(seq: number, snapshot: unknown): string {
  return `id: ${seq}\nevent: snapshot\ndata: ${JSON.stringify({ seq, snapshot })}\n\n`;
}

/** Live progress of an attempt (no id: never replayed). Its tenant is left out. */
export function progressFrame(event: PhaseProgressEvent): string {
  const { tenantId: _tenant, ...progress } = event;
  const data = JSON.stringify({ ...progress, aliases: eventAliases('phase_progress') });
  return `event: phase_progress\ndata: ${data}\n\n`;
}

/** An attempt's heartbeat: when it last showed it is alive (no id: never replayed). */
export function activityFrame(phaseId: string, attempt: number, lastActivityAt: number): string {
  const data = JSON.stringify({ phaseId, attempt, lastActivityAt: new Date(lastActivityAt).toISOString() });
  return `event: activity\ndata: ${data}\n\n`;
}

/** The comment that keeps proxies from closing an idle stream. */
export const KEEPALIVE_FRAME = ': keepalive\n\n';
