/**
 * Record / replay of model calls (`BATON_LLM`): a `wrapLanguageModel` middleware that, in
 * `record`, calls the model and stores its answer — streamed chunks included — under a hash of
 * the normalised request in a cassette file, and in `replay` answers from that file without
 * calling the model (no HTTP), failing with `CASSETTE_MISS` naming a request it has no answer for.
 *
 * A cassette is plain JSON, reviewable in a diff: `{"version": 1, "calls": {"<key>": {provider,
 * modelId, kind, request, response}}}`, calls sorted by key, object keys sorted, two-space indent,
 * no timestamps — recording the same calls twice writes the same bytes. Binary data is stored as
 * `{"$bytes": "<base64>"}`, a URL as `{"$url": "…"}`, a date as `{"$date": "<ISO>"}`, and revived.
 *
 * Also the entry `@baton/agents/cassette`: what reads `BATON_LLM` (the CLI, to say what a run
 * recorded) loads it without the model providers and the AI SDK.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { printable } from '@baton/engine';
import type { LanguageModelMiddleware } from 'ai';
import { AgentsError, AgentsErrorCode } from './agents-error.js';

/** How model calls are made: through the provider, recorded to a cassette, or replayed from one. */
export type LlmMode = 'live' | 'record' | 'replay';

const LLM_MODES: readonly LlmMode[] = ['live', 'record', 'replay'];

/**
 * The mode of `BATON_LLM`: unset or blank is `live`. Fails with `INVALID_LLM_MODE` naming the
 * allowed values for anything else.
 */
export function llmModeFromEnv(env: NodeJS.ProcessEnv = process.env): LlmMode {
  const value = env.BATON_LLM?.trim() ?? '';
  if (value === '') return 'live';
  const mode = LLM_MODES.find((candidate) => candidate === value);
  if (mode !== undefined) return mode;
  throw new AgentsError(
    AgentsErrorCode.invalidLlmMode,
    `BATON_LLM="${value}" is not a model mode: use live, record or replay (unset is live)`,
  );
}

// The provider types (`@ai-sdk/provider`), reached through `ai`'s middleware type.
type WrapGenerate = NonNullable<LanguageModelMiddleware['wrapGenerate']>;
type WrapStream = NonNullable<LanguageModelMiddleware['wrapStream']>;
/** `LanguageModelV3CallOptions`: the options of one model call. */
type CallOptions = Parameters<WrapGenerate>[0]['params'];
type GenerateResult = Awaited<ReturnType<WrapGenerate>>;
type StreamResult = Awaited<ReturnType<WrapStream>>;
type StreamPart = StreamResult['stream'] extends ReadableStream<infer Part> ? Part : never;

/** Which model a call goes to (a `LanguageModelV3`'s `provider` and `modelId`). */
interface ModelRef {
  readonly provider: string;
  readonly modelId: string;
}

type CallKind = 'generate' | 'stream';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One recorded call, as stored under its key. */
interface CassetteEntry {
  readonly provider: string;
  readonly modelId: string;
  readonly kind: CallKind;
  /** The call options that decide the answer (see {@link requestKey}). */
  readonly request: JsonObject;
  /** `generate`: content, finishReason, usage, warnings, providerMetadata, response {id, modelId}; `stream`: chunks. */
  readonly response: JsonObject;
}

/** A cassette file, read lazily and written atomically. */
export interface Cassette {
  readonly path: string;
  /**
   * Middleware for `wrapLanguageModel`: `record` calls through and stores the answer (writing the
   * file after each call), `replay` answers from the file and never calls through.
   */
  middleware(mode: 'record' | 'replay'): LanguageModelMiddleware;
  /** Writes pending recordings — atomically (temporary file, then rename), one write at a time. */
  flush(): Promise<void>;
}

/** The call options that decide a model's answer; the others (signal, headers…) do not. */
const DECIDING_OPTIONS = [
  'prompt',
  'tools',
  'toolChoice',
  'responseFormat',
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'stopSequences',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'providerOptions',
] as const satisfies readonly (keyof CallOptions)[];

/** The normalised request without its model and kind: what a cassette entry shows as `request`. */
function normaliseOptions(options: CallOptions): JsonObject {
  const picked: Record<string, unknown> = {};
  for (const name of DECIDING_OPTIONS) picked[name] = options[name];
  const { providerOptions } = options;
  if (providerOptions !== undefined && Object.keys(providerOptions).length === 0) {
    delete picked.providerOptions;
  }
  return toJson(picked) as JsonObject;
}

function keyOf(model: ModelRef, kind: CallKind, request: JsonObject): string {
  const normalised = toJson({ ...request, provider: model.provider, modelId: model.modelId, kind });
  return createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}

/**
 * The key of a call: the SHA-256 (hex) of its normalised request — provider, model, kind and the
 * options that decide the answer (prompt, tools, toolChoice, responseFormat, maxOutputTokens,
 * temperature, topP, topK, stopSequences, seed, presence and frequency penalties, non-empty
 * providerOptions) as canonical JSON (sorted keys, undefined fields left out). The abort signal,
 * headers and `includeRawChunks` do not count.
 */
export function requestKey(model: ModelRef, options: CallOptions, kind: CallKind): string {
  return keyOf(model, kind, normaliseOptions(options));
}

/**
 * Opens a cassette file; nothing is read until a call needs it. A missing file is an empty
 * cassette (replay then misses, naming the request).
 */
export function openCassette(path: string): Cassette {
  /** Recordings of this process, newest per key (replay sees them before the file). */
  const recorded = new Map<string, CassetteEntry>();
  /** Recordings not yet written. */
  const pending = new Map<string, CassetteEntry>();
  let loaded: Promise<Map<string, CassetteEntry>> | undefined;

  async function write(): Promise<void> {
    if (pending.size === 0) return;
    const batch = new Map(pending);
    // Merge with the file as it is now: another cassette object may have written to it.
    const calls = await readCalls(path);
    for (const [key, entry] of batch) calls.set(key, entry);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, serialise(calls));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    // A call recorded again while writing stays pending for the next write.
    for (const [key, entry] of batch) if (pending.get(key) === entry) pending.delete(key);
  }

  function flush(): Promise<void> {
    return queueWrite(path, write);
  }

  async function record(key: string, entry: CassetteEntry): Promise<void> {
    recorded.set(key, entry);
    pending.set(key, entry);
    await flush();
  }

  async function lookup(model: ModelRef, options: CallOptions, kind: CallKind): Promise<CassetteEntry> {
    const key = requestKey(model, options, kind);
    loaded ??= readCalls(path);
    const entry = recorded.get(key) ?? (await loaded).get(key);
    if (entry !== undefined) return entry;
    throw new AgentsError(
      AgentsErrorCode.cassetteMiss,
      `cassette ${path} has no answer for this ${kind} call to ${model.provider} model "${model.modelId}" (key ${key}); last user message: "${lastUserText(options)}". Record it with BATON_LLM=record`,
      { context: { path, provider: model.provider, modelId: model.modelId, kind, key } },
    );
  }

  function recording(mode: 'record' | 'replay'): LanguageModelMiddleware {
    if (mode === 'replay') {
      return {
        specificationVersion: 'v3',
        async wrapGenerate({ params, model }) {
          return generateResult(await lookup(model, params, 'generate'), path);
        },
        async wrapStream({ params, model }) {
          return streamResult(await lookup(model, params, 'stream'), path);
        },
      };
    }
    return {
      specificationVersion: 'v3',
      async wrapGenerate({ doGenerate, params, model }) {
        const request = normaliseOptions(params);
        const result = await doGenerate();
        const entry = newEntry(model, 'generate', request, storedGenerateResult(result));
        await record(keyOf(model, 'generate', request), entry);
        return result;
      },
      async wrapStream({ doStream, params, model }) {
        const request = normaliseOptions(params);
        const result = await doStream();
        const chunks: Json[] = [];
        let failed = false;
        const recorder = new TransformStream<StreamPart, StreamPart>({
          transform(part, controller) {
            controller.enqueue(part);
            if (part.type === 'error') failed = true;
            else if (part.type !== 'raw') chunks.push(storedStreamPart(part));
          },
          // Only a stream that ended without an error is recorded; the write finishes before
          // the stream ends, and a failed write fails the stream.
          async flush() {
            if (failed) return;
            const entry = newEntry(model, 'stream', request, { chunks });
            await record(keyOf(model, 'stream', request), entry);
          },
        });
        return { ...result, stream: result.stream.pipeThrough(recorder) };
      },
    };
  }

  return { path, middleware: recording, flush };
}

/** The pending write of each cassette file (by absolute path), so writes to one file never overlap. */
const writeQueues = new Map<string, Promise<void>>();

/** Runs `write` after the writes already queued for the file at `path`. */
function queueWrite(path: string, write: () => Promise<void>): Promise<void> {
  const file = resolve(path);
  const done = (writeQueues.get(file) ?? Promise.resolve()).then(write);
  const tail = done.catch(() => undefined);
  writeQueues.set(file, tail);
  void tail.then(() => {
    if (writeQueues.get(file) === tail) writeQueues.delete(file);
  });
  return done;
}

function newEntry(model: ModelRef, kind: CallKind, request: JsonObject, response: JsonObject): CassetteEntry {
  return { provider: model.provider, modelId: model.modelId, kind, request, response };
}

/** What a cassette keeps of a `doGenerate` result: no timestamp, headers or bodies. */
function storedGenerateResult(result: GenerateResult): JsonObject {
  const { content, finishReason, usage, warnings, providerMetadata, response } = result;
  return toJson({
    content,
    finishReason,
    usage,
    warnings,
    providerMetadata,
    response: { id: response?.id, modelId: response?.modelId },
  }) as JsonObject;
}

/** A stream part as kept in a cassette: response metadata without its timestamp. */
function storedStreamPart(part: StreamPart): Json {
  if (part.type !== 'response-metadata') return toJson(part) ?? null;
  const { timestamp: _timestamp, ...rest } = part;
  return toJson(rest) ?? null;
}

function generateResult(entry: CassetteEntry, path: string): GenerateResult {
  if (entry.kind !== 'generate' || !Array.isArray(entry.response.content)) {
    throw invalidCassette(path, `the recording of a ${entry.kind} call has no content`);
  }
  const stored = fromJson(entry.response) as Omit<GenerateResult, 'request'>;
  return { ...stored, warnings: stored.warnings ?? [], request: {}, response: { ...stored.response } };
}

function streamResult(entry: CassetteEntry, path: string): StreamResult {
  const { chunks } = entry.response;
  if (entry.kind !== 'stream' || !Array.isArray(chunks)) {
    throw invalidCassette(path, `the recording of a ${entry.kind} call has no chunks`);
  }
  const parts = chunks.map((chunk) => fromJson(chunk) as StreamPart);
  const stream = new ReadableStream<StreamPart>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
  return { stream, request: {}, response: {} };
}

/**
 * The text of the request's last user message, on one line, cut at 200 characters (never inside
 * a surrogate pair), its control characters escaped: it may quote a file.
 */
function lastUserText(options: CallOptions): string {
  const message = options.prompt.findLast((candidate) => candidate.role === 'user');
  if (message === undefined || message.role !== 'user') return '';
  const text = message.content
    .map((part) => (part.type === 'text' ? part.text : `[${part.mediaType}]`))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(text);
  return printable(chars.length > 200 ? `${chars.slice(0, 200).join('')}…` : text);
}

/** The calls of the cassette file at `path`; none when there is no file. */
async function readCalls(path: string): Promise<Map<string, CassetteEntry>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidCassette(path, error instanceof Error ? error.message : String(error));
  }
  if (!isObject(parsed) || parsed.version !== 1 || !isObject(parsed.calls)) {
    throw invalidCassette(path, 'expected {"version": 1, "calls": {…}}');
  }
  const calls = new Map<string, CassetteEntry>();
  for (const [key, entry] of Object.entries(parsed.calls)) {
    if (!isEntry(entry)) {
      throw invalidCassette(path, `call ${key} needs provider, modelId, kind, request and response`);
    }
    calls.set(key, entry);
  }
  return calls;
}

function isEntry(value: unknown): value is CassetteEntry {
  return (
    isObject(value) &&
    typeof value.provider === 'string' &&
    typeof value.modelId === 'string' &&
    (value.kind === 'generate' || value.kind === 'stream') &&
    isObject(value.request) &&
    isObject(value.response)
  );
}

function invalidCassette(path: string, reason: string): AgentsError {
  return new AgentsError(
    AgentsErrorCode.invalidCassette,
    `${path} is not a Baton cassette (${reason}): fix it, or delete it and record again with BATON_LLM=record`,
    { context: { path } },
  );
}

/** The cassette's text: calls sorted by key, two-space indent, a final newline. */
function serialise(calls: ReadonlyMap<string, CassetteEntry>): string {
  const sorted: Record<string, CassetteEntry> = {};
  for (const key of [...calls.keys()].sort()) sorted[key] = calls.get(key)!;
  return `${JSON.stringify({ version: 1, calls: sorted }, null, 2)}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Canonical JSON of a value: keys sorted, undefined fields (and functions) left out, bytes, URLs
 * and dates tagged so that {@link fromJson} revives them.
 */
function toJson(value: unknown): Json | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof URL) return { $url: value.href };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  const object = value as Record<string, unknown>;
  const result: JsonObject = {};
  for (const key of Object.keys(object).sort()) {
    const item = toJson(object[key]);
    if (item !== undefined) result[key] = item;
  }
  return result;
}

/** The value of a cassette's JSON, with tagged bytes, URLs and dates revived. */
function fromJson(json: Json): unknown {
  if (Array.isArray(json)) return json.map(fromJson);
  if (json === null || typeof json !== 'object') return json;
  const keys = Object.keys(json);
  const tagged = keys.length === 1 ? json[keys[0]!] : undefined;
  if (typeof tagged === 'string') {
    if (keys[0] === '$bytes') return new Uint8Array(Buffer.from(tagged, 'base64'));
    if (keys[0] === '$url') return new URL(tagged);
    if (keys[0] === '$date') return new Date(tagged);
  }
  return Object.fromEntries(keys.map((key) => [key, fromJson(json[key]!)]));
}
