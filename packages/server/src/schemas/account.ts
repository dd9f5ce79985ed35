import { z } from '@hono/zod-openapi';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../accounts/password.js';

const userSchema = z
  .object({ id: z.string(), email: z.string().openapi({ example: 'ada@example.com' }) })
  .openapi('User');

const tenantSchema = z
  .object({ id: z.string().openapi({ example: 'local' }), name: z.string() })
  .openapi('Tenant');

/** The answer to a successful setup or login (the session is in the `baton_session` cookie). */
export const signedInSchema = z.object({ user: userSchema, tenant: tenantSchema }).openapi('SignedIn');

export const meSchema = z
  .object({
    /** Null for the home's socket and a token made over it. */
    user: z.union([userSchema, z.null()]),
    tenant: tenantSchema,
    role: z.enum(['owner', 'member']),
    via: z.enum(['session', 'token', 'socket']),
  })
  .openapi('Me');

const email = z.email({ error: 'an email address, like ada@example.com' }).max(320);

/** A new password: long enough, not absurdly long. */
const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { error: `the password must have at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { error: `the password may have at most ${MAX_PASSWORD_LENGTH} characters` });

export const setupBodySchema = z
  .object({
    token: z
      .string()
      .max(256)
      .optional()
      .openapi({ description: 'The setup token of the link the server printed (`/setup?token=…`)' }),
    email,
    password: newPassword,
  })
  .openapi('SetupRequest');

export const loginBodySchema = z
  .object({
    email: z.string().min(1).max(320).openapi({ example: 'ada@example.com' }),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  })
  .openapi('LoginRequest');

export const createTokenBodySchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: 'laptop CLI' }),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .openapi({ description: 'Days until the token stops working; none: it works until revoked' }),
  })
  .openapi('CreateTokenRequest');

const epochMs = z.number().openapi({ description: 'Epoch milliseconds' });

export const createdTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    token: z.string().openapi({ description: 'The secret: shown only in this answer', example: 'baton_…' }),
    prefix: z.string().openapi({ example: 'baton_AbC123' }),
    createdAt: epochMs,
    expiresAt: epochMs.nullable(),
  })
  .openapi('CreatedToken');

export const tokenSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdBy: z.string(),
    createdAt: epochMs,
    expiresAt: epochMs.nullable(),
    lastUsedAt: epochMs.nullable(),
  })
  .openapi('TokenSummary');
