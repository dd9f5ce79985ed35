/** The security of a protected route in the OpenAPI document: a session cookie or a bearer token. */
export const secured: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];
