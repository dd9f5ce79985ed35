import type { RunSnapshot } from '@baton/client';

/**
 * Runs a person's action that answers the run (`decide`, `submit`, `rewind`) under `label` (the
 * busy button's), puts the answer into the store and shows a refusal beside the buttons.
 */
export type Act = (label: string, action: () => Promise<RunSnapshot>) => void;
