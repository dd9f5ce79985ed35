/**
 * Who is signed in: read once from `GET /api/auth/me`; sign-in, setup and sign-out update it.
 * `signed-out` is also what any 401 of the API leads to.
 */
import { create } from 'zustand';
import { isApiClientError, type Me } from '@baton/client';
import { api } from '../api.js';

type Session =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'unreachable'; readonly message: string }
  | { readonly status: 'signed-in'; readonly email: string | null; readonly role: Me['role'] };

interface SessionStore {
  readonly session: Session;
  load: () => Promise<void>;
  signOut: () => Promise<void>;
}

export const useSession = create<SessionStore>()((set) => ({
  session: { status: 'loading' },
  async load() {
    try {
      const me = await api.auth.me();
      set({ session: { status: 'signed-in', email: me.user?.email ?? null, role: me.role } });
    } catch (error) {
      if (isApiClientError(error) && error.status === 401) set({ session: { status: 'signed-out' } });
      else set({ session: { status: 'unreachable', message: messageOf(error) } });
    }
  },
  async signOut() {
    await api.auth.logout().catch(() => undefined);
    set({ session: { status: 'signed-out' } });
  },
}));

/** A person-readable message of an error the client threw. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
