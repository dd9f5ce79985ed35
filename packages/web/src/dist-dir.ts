/**
 * `@baton/web/dist-dir` (Node only, for `baton serve`): where `npm run build` writes the web UI.
 */
import { fileURLToPath } from 'node:url';

export const WEB_UI_DIR = fileURLToPath(new URL('../dist', import.meta.url));
