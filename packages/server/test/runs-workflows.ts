/**
 * The workflows the runs API tests upload, as YAML: what a client sends to `POST /api/workflows`.
 */

/**
 * `gated`: `spec` (JSON, behind a gate) → `signoff` (a person writes it) → `publish`. Its inputs
 * need a `brief` (text); `count` is an integer.
 */
export const GATED = `
id: gated
inputs:
  type: object
  required: [brief]
  properties: { brief: { type: string }, count: { type: integer } }
phases:
  - id: spec
    kind: tool
    gate: true
    output: { type: object, required: [title] }
    run: |
      printf '{"title": "%s"}' "$BATON_INPUT_brief"
  - id: signoff
    kind: human
    needs: [spec]
  - id: publish
    kind: tool
    needs: [signoff]
    run: cat "$BATON_INPUTS_DIR/signoff"
`;

/** `flaky` (or another id): `build` fails at once (one attempt), so `ship`, which needs it, never runs. */
export function flaky(id = 'flaky'): string {
  return `
id: ${id}
phases:
  - id: build
    kind: tool
    retry: { maxAttempts: 1 }
    run: exit 3
  - id: ship
    kind: tool
    needs: [build]
    run: echo shipped
`;
}

/**
 * `held`: one tool phase, `hold`, that writes its process id to the file named by the input `pidfile`
 * and then runs until the file named by `release` exists (or it is stopped): a phase that is surely
 * running while a test looks at it, for as long as the test wants.
 */
export const HELD = `
id: held
inputs:
  type: object
  required: [pidfile, release]
  properties: { pidfile: { type: string }, release: { type: string } }
phases:
  - id: hold
    kind: tool
    run: |
      echo $$ > "$BATON_INPUT_pidfile"
      while [ ! -e "$BATON_INPUT_release" ]; do sleep 0.05; done
      echo released
`;

/**
 * `sleeper`: one tool phase, `sleep`, that writes its process id to the file named by the input
 * `pidfile` and then sleeps far longer than any test runs: only stopping it ends it.
 */
export const SLEEPER = `
id: sleeper
inputs:
  type: object
  required: [pidfile]
  properties: { pidfile: { type: string } }
phases:
  - id: sleep
    kind: tool
    run: |
      echo $$ > "$BATON_INPUT_pidfile"
      exec sleep 600
`;

/**
 * `outputs`: three gated phases that run at once, one of each kind of output — `notes` a document
 * (its text names the attempt), `spec` JSON (behind an output schema), and `code` a file tree
 * written by an inline agent on the offline scripted model: attempt 1 writes `src/export.ts`,
 * `README.md` and `docs/old.md`; attempt 2 changes `src/export.ts`, adds `src/csv.ts` and removes
 * `docs/old.md` (`README.md` stays as it was).
 */
export const OUTPUTS = `
id: outputs
model: { provider: scripted, model: scripted }
agents:
  coder: { system: You write code., tools: [write_files] }
fixtures:
  code:
    attempts:
      '1':
        replies:
          - toolCalls:
              - tool: write_files
                input:
                  files:
                    - { path: src/export.ts, content: "export const csv = 1;\\n" }
                    - { path: README.md, content: "# Export\\n" }
                    - { path: docs/old.md, content: "old\\n" }
          - output: Wrote the exporter.
      '2':
        replies:
          - toolCalls:
              - tool: write_files
                input:
                  files:
                    - { path: src/export.ts, content: "export const csv = 2;\\n" }
                    - { path: src/csv.ts, content: "export const header = true;\\n" }
                  remove: [docs/old.md]
          - output: Added the header.
phases:
  - id: notes
    kind: tool
    gate: true
    run: printf 'Release notes\\nwritten by attempt %s\\nthe end\\n' "$BATON_ATTEMPT"
  - id: spec
    kind: tool
    gate: true
    output: { type: object, required: [title] }
    run: |
      printf '{"title": "CSV export", "criteria": ["a header row"]}'
  - id: code
    kind: agent
    agent: coder
    gate: true
`;
