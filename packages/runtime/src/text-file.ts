/** Telling a text file from a binary one by its bytes. */

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a file's bytes, or `undefined` when they are not text: they hold a NUL byte or are
 * not valid UTF-8 (an image, an archive, a file in another encoding). A byte-order mark is kept,
 * as `readFile(file, 'utf8')` keeps it.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
