/** The tenant of a home's own runs: the CLI's, and the single owner's of a server. */
export const LOCAL_TENANT = 'local';
