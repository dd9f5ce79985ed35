/** The one client of the API the UI uses: the server that served the page, with its session cookie. */
import { createClient, type BatonClient } from '@baton/client';

export const api: BatonClient = createClient({ baseUrl: window.location.origin });
