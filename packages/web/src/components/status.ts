/**
 * How a run's or a phase's status reads: a label, an icon and a tone (its colour). A status is
 * never shown by colour alone — the badge always carries the icon and the text. The icons are
 * plain symbols every system font has (no emoji: a server without an emoji font shows boxes).
 */
type Tone = 'neutral' | 'active' | 'attention' | 'success' | 'danger' | 'muted';

export interface StatusLook {
  readonly label: string;
  readonly icon: string;
  readonly tone: Tone;
}

const LOOKS: Readonly<Record<string, StatusLook>> = {
  // Runs
  running: { label: 'Running', icon: '▶', tone: 'active' },
  waiting: { label: 'Waiting for you', icon: '◆', tone: 'attention' },
  paused: { label: 'Paused', icon: '‖', tone: 'muted' },
  completed: { label: 'Completed', icon: '✓', tone: 'success' },
  failed: { label: 'Failed', icon: '✕', tone: 'danger' },
  cancelled: { label: 'Cancelled', icon: '⊘', tone: 'muted' },
  // Phases
  blocked: { label: 'Blocked', icon: '○', tone: 'neutral' },
  ready: { label: 'Ready', icon: '◔', tone: 'neutral' },
  waiting_for_human: { label: 'Waiting for you', icon: '◆', tone: 'attention' },
  in_review: { label: 'In review', icon: '◎', tone: 'active' },
  rejected: { label: 'Rejected', icon: '✕', tone: 'danger' },
  skipped: { label: 'Skipped', icon: '↷', tone: 'muted' },
};

export function statusLook(status: string): StatusLook {
  return LOOKS[status] ?? { label: status.replaceAll('_', ' '), icon: '•', tone: 'neutral' };
}
