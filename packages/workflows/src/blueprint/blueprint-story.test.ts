/**
 * The `blueprint` fixtures tell one story — a yoga studio's booking service — across phases: the
 * API exposes the data model's entities as they are, cites only business rules that exist, the
 * frontend calls only operations the API defines, the design's two token files agree, and the
 * deployment validates and ships what the phases before it wrote.
 */
import type { JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { finalOutput, loadRawFixtures, writtenFiles } from '../builtin-files.test-support.js';

const fixtures = loadRawFixtures('blueprint');
type Json = { [key: string]: JsonValue };

function entry(phaseId: string) {
  const found = fixtures[phaseId];
  if (found === undefined) throw new Error(`no fixture for ${phaseId}`);
  return found;
}
const text = (phaseId: string) => finalOutput(entry(phaseId)) as string;
const files = (phaseId: string) => writtenFiles(entry(phaseId));
const file = (phaseId: string, path: string) => {
  const content = files(phaseId).get(path);
  if (content === undefined) throw new Error(`${phaseId} writes no ${path}`);
  return content;
};

const api = finalOutput(entry('api')) as Json;
const entities = (JSON.parse(file('data', 'schemas/entities.schema.json')) as { $defs: Record<string, Json> })
  .$defs;
const migration = file('data', 'db/migrations/001_create_booking_schema.sql');

/** `ClassSession` → `class_session`. */
const snake = (name: string) => name.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();

/** The rule ids a text cites. */
const cited = (value: string) => new Set(value.match(/BR-\d+/g) ?? []);

/** Every operation of the API: its id, path and method. */
function operations(): { id: string; path: string; method: string }[] {
  return Object.entries(api.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => ({ id: (operation as Json).operationId as string, path, method })),
  );
}

describe("the blueprint fixtures' story", () => {
  it("have the API expose each of the data model's entities exactly as its JSON Schema says", () => {
    const schemas = (api.components as Json).schemas as Record<string, Json>;
    expect(Object.keys(entities).sort()).toEqual([
      'Booking',
      'ClassSession',
      'ClassType',
      'Instructor',
      'Member',
      'MemberPass',
      'PassProduct',
      'WaitlistEntry',
    ]);
    for (const [name, schema] of Object.entries(entities)) expect(schemas[name], name).toEqual(schema);
  });

  it('store each field the API exposes in a column of its table, except the derived ones', () => {
    for (const [name, schema] of Object.entries(entities)) {
      const table = snake(name).replace(/y$/, 'ie').replace(/s$/, 'se') + 's';
      const create = new RegExp(`CREATE TABLE ${table} \\(([\\s\\S]*?)\\n\\);`).exec(migration);
      expect(create, `table ${table}`).not.toBeNull();
      for (const [field, property] of Object.entries(schema.properties as Record<string, Json>)) {
        if (typeof property.description === 'string' && property.description.includes('(derived)')) continue;
        expect(create![1], `${table}.${snake(field)}`).toMatch(new RegExp(`^\\s+${snake(field)}\\s`, 'm'));
      }
    }
  });

  it('number the business rules BR-1 to BR-n, and cite none that does not exist anywhere', () => {
    const logic = text('logic');
    const defined = [...logic.matchAll(/^- \*\*(BR-\d+)\*\* /gm)].map((match) => match[1]!);
    expect(defined).toEqual(defined.map((_, index) => `BR-${index + 1}`));
    expect(defined.length).toBeGreaterThanOrEqual(12);
    const elsewhere = [
      JSON.stringify(api),
      text('frontend'),
      ...files('data').values(),
      ...files('design').values(),
      logic,
    ];
    for (const source of elsewhere) for (const id of cited(source)) expect(defined).toContain(id);
    // The API cites most of them: the rules it enforces.
    expect(cited(JSON.stringify(api)).size).toBeGreaterThanOrEqual(defined.length - 2);
  });

  it("have the frontend's routes call only operations the API defines, and use all but the provider's webhook", () => {
    const ids = operations().map((operation) => operation.id);
    expect(new Set(ids).size).toBe(ids.length);
    const routes = text('frontend').slice(
      text('frontend').indexOf('## Routes'),
      text('frontend').indexOf('## State'),
    );
    const called = new Set([...routes.matchAll(/`([a-z][A-Za-z]+)`/g)].map((match) => match[1]!));
    for (const id of called) expect(ids, id).toContain(id);
    expect(ids.filter((id) => !called.has(id))).toEqual(['receivePaymentNotification']);
  });

  it("agree on the PRD's numbers: a 14-day timetable, 30 places at most, a waitlist of 10", () => {
    expect(text('prd')).toContain('next 14 days');
    expect(text('logic')).toContain('from 14 days before it starts');
    expect(migration).toContain('capacity BETWEEN 1 AND 30');
    expect(entities.ClassSession!.properties).toMatchObject({
      capacity: { maximum: 30 },
      waitlistLength: { maximum: 10 },
    });
    expect(text('logic')).toContain('at most 10 members');
  });

  it("keep the design's token files in step: every colour of tokens.json in tokens.css, same value", () => {
    const tokens = JSON.parse(file('design', 'design/tokens.json')) as {
      color: Record<string, Record<string, { $value: string }> | string>;
    };
    const css = file('design', 'design/tokens.css');
    let count = 0;
    for (const [group, values] of Object.entries(tokens.color)) {
      if (typeof values === 'string') continue; // `$type`
      for (const [name, token] of Object.entries(values)) {
        expect(css).toContain(`--color-${group}-${name}: ${token.$value.toLowerCase()};`);
        count += 1;
      }
    }
    expect(count).toBeGreaterThanOrEqual(15);
    expect(css).toContain('prefers-reduced-motion');
  });

  it('deploy what the blueprint defines: images, local compose, Terraform, CI that validates the API, a runbook', () => {
    const paths = [...files('deployment').keys()].sort();
    expect(paths).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/deploy.yml',
      'compose.yaml',
      'docker/api.Dockerfile',
      'docker/web.Dockerfile',
      'docs/deployment.md',
      'infra/main.tf',
      'infra/variables.tf',
      'scripts/migrate.sh',
      'scripts/smoke-test.sh',
    ]);
    expect(file('deployment', '.github/workflows/ci.yml')).toContain('lint openapi/openapi.json');
    expect(file('deployment', '.github/workflows/deploy.yml')).toContain('environment: production');
    expect(file('deployment', 'docker/api.Dockerfile')).toMatch(/^USER node$/m);
    // The smoke test reads the timetable through the operation the API defines for it.
    const timetable = operations().find((operation) => operation.id === 'listClassSessions')!;
    expect(file('deployment', 'scripts/smoke-test.sh')).toContain(`/v1${timetable.path}?from=`);
    // Migrations come from the data branch's directory.
    expect(
      [...files('data').keys()].every((path) => !path.startsWith('db/migrations/') || path.endsWith('.sql')),
    ).toBe(true);
    expect(file('deployment', 'scripts/migrate.sh')).toContain('dir="${1:-db/migrations}"');
  });
});
