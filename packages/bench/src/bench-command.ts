/**
 * What the bench commands (`npm run bench`, `npm run bench:server`) share: the flags every one of
 * them takes, and how one runs — its usage on `-h`, exit 2 and the usage for a bad flag, exit 1
 * and the stack when it fails.
 */
import { parseArgs } from 'node:util';

/** The options every bench command has. */
export interface CommonBenchOptions {
  /** One JSON object per line instead of tables. */
  readonly json: boolean;
  /** Fewer repetitions, shorter loads (a smoke run). */
  readonly quick: boolean;
  /** A PostgreSQL server to benchmark too (a fresh database is created on it and dropped). */
  readonly databaseUrl?: string;
}

/** Parsed command-line options: the command's, or `help` when asked for, or what is wrong. */
export type ParsedOptions<T> = { ok: true; options: T } | { ok: false; help: boolean; message?: string };

/**
 * Parses `--json`, `--quick`, `--database-url URL` (else `$BATON_BENCH_DATABASE_URL`), `-h/--help`
 * and the command's own string flags `extra`. `finish` makes the command's options of the common
 * ones and the values of `extra` (undefined when not given); an error it throws is the message.
 */
export function parseBenchOptions<T>(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  extra: readonly string[],
  finish: (common: CommonBenchOptions, values: Readonly<Record<string, string | undefined>>) => T,
): ParsedOptions<T> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        'database-url': { type: 'string' },
        ...Object.fromEntries(extra.map((name) => [name, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help === true) return { ok: false, help: true };
    const databaseUrl = stringValue(values['database-url']) ?? nonEmpty(env.BATON_BENCH_DATABASE_URL);
    const common: CommonBenchOptions = {
      json: values.json === true,
      quick: values.quick === true,
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
    };
    const all: Readonly<Record<string, string | boolean | undefined>> = values;
    const own = Object.fromEntries(extra.map((name) => [name, stringValue(all[name])]));
    return { ok: true, options: finish(common, own) };
  } catch (error) {
    return { ok: false, help: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** What {@link runBenchCommand} runs. */
export interface BenchCommand<T> {
  /** As messages name the command: `bench`, `bench:server`. */
  readonly name: string;
  readonly usage: string;
  readonly parse: (argv: readonly string[], env: NodeJS.ProcessEnv) => ParsedOptions<T>;
  /** The benchmark; resolves to the exit code. */
  readonly main: (options: T) => Promise<number>;
}

/**
 * Runs a bench command on `argv` and resolves to its exit code: 0 after the usage for `-h`, 2 with
 * the usage for a bad flag, `main`'s own, or 1 when `main` throws (its stack on stderr).
 */
export async function runBenchCommand<T>(command: BenchCommand<T>, argv: readonly string[]): Promise<number> {
  const parsed = command.parse(argv, process.env);
  if (!parsed.ok) {
    if (parsed.help) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    process.stderr.write(`${parsed.message ?? 'bad arguments'}\n\n${command.usage}\n`);
    return 2;
  }
  try {
    return await command.main(parsed.options);
  } catch (error) {
    process.stderr.write(
      `${command.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

function stringValue(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
