/**
 * The file contents a file-tree manifest names (`FileTreeManifest`: `{files: [{path, sha256, …}]}`),
 * read as the store needs them — which `blobs` rows a tree relies on — without the rest of the
 * manifest's checks (the agents' `parseManifest` owns those).
 */

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The hashes the manifest `text` names, or undefined when it is not a manifest (not JSON, no
 * `files` array, an entry without a hash). A caller that must not lose a reference treats
 * undefined as "names anything".
 */
export function treeHashes(text: string): string[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const files = (value as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return undefined;
  const hashes: string[] = [];
  for (const file of files) {
    const sha256 = (file as { sha256?: unknown } | null)?.sha256;
    if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return undefined;
    hashes.push(sha256);
  }
  return hashes;
}
