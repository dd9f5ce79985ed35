/**
 * The URLs a document may hold. A link (`href`) is `https:` only; an image (`src`) is `https:` or
 * an inline raster image, `data:image/(png|jpeg|gif|webp);base64,…`. No other scheme
 * (`javascript:`, `data:text/html`, `http:`, relative URLs), no white space, no control
 * characters, no quotes or angle brackets: what passes is inert in an attribute, even before the
 * renderer escapes it.
 */
import { z } from 'zod';
import { UI_LIMITS } from './limits.js';

/** `https://` and a host, then only visible characters that need no escaping in an attribute. */
const HTTPS_SOURCE = String.raw`https://[^\s"'<>\\\x60\x00-\x1f\x7f]+`;
const DATA_IMAGE_SOURCE = String.raw`data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}`;

const HTTPS_URL = new RegExp(`^${HTTPS_SOURCE}$`);
const IMAGE_SOURCE = new RegExp(`^(?:${HTTPS_SOURCE}|${DATA_IMAGE_SOURCE})$`);

/** True when `value` parses as an `https:` URL with a host (the pattern alone lets `https://?` by). */
function isHttpsWithHost(value: string): boolean {
  if (!value.startsWith('https://')) return true; // A data: image, checked by its pattern.
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A link target: an `https:` URL. */
export const HttpsUrlSchema = z
  .string()
  .max(UI_LIMITS.maxUrlLength, { abort: true })
  .regex(HTTPS_URL, {
    error: 'must be an https: URL (https://host/path), with no spaces or quotes',
    abort: true,
  })
  .refine(isHttpsWithHost, { error: 'must be an https: URL with a host' });

/** An image source: an `https:` URL, or a base64 `data:` URL of a PNG, JPEG, GIF or WebP image. */
export const ImageSourceSchema = z
  .string()
  .max(UI_LIMITS.maxUrlLength, { abort: true })
  .regex(IMAGE_SOURCE, {
    error: 'must be an https: URL or data:image/(png|jpeg|gif|webp);base64,… (no other scheme)',
    abort: true,
  })
  .refine(isHttpsWithHost, { error: 'must be an https: URL with a host' });
