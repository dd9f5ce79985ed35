/**
 * `@baton/client/node`: what only Node can do — a `fetch` over the home's Unix socket. Use it with
 * `createClient({baseUrl: 'http://localhost', fetch: unixSocketFetch(socketPath)})`.
 */
export { unixSocketFetch } from './unix-socket-fetch.js';
