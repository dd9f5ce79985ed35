/**
 * A workflow's phase graph as a Mermaid flowchart (`baton graph`, the diagrams of
 * `docs/workflows/`). Deterministic — the same definition always gives the same text, so a page's
 * diagram can be compared with the command's output:
 *
 * - nodes in the definition's order, each labelled with its id and, below, its kind (`agent:
 *   <name>` for an agent, `<kind>: <run>` for an in-process step) and `· gate` for a gated phase
 *   (which also gets the `gate` class: a thicker border);
 * - a solid edge from each needed phase (`need --> phase`), labelled `over` for the phase a map
 *   maps over; a dotted edge from a reviewer to the phase it reviews (`reviews`, or `advises` for
 *   an advisory reviewer);
 * - a map as a subgraph holding its template's phases and their edges.
 *
 * Mermaid node ids are the phase ids with every character other than a-z and 0-9 written `_`
 * (a template phase `<map>__<id>`), prefixed where Mermaid would read them otherwise (a digit
 * first, a keyword such as `end`), numbered on the rare collision.
 */
import type { PhaseDefinition, WorkflowDefinition } from '@baton/engine';

/** Words a Mermaid flowchart reads as syntax, never as a node id. */
const RESERVED = new Set([
  'end',
  'graph',
  'flowchart',
  'subgraph',
  'direction',
  'style',
  'class',
  'classdef',
  'click',
  'linkstyle',
  'call',
  'href',
  'default',
]);

/** The flowchart of `workflow` (no trailing newline). */
export function mermaidGraph(workflow: WorkflowDefinition): string {
  const ids = nodeIds(workflow);
  const node = (key: string): string => ids.get(key) ?? key;
  const lines = ['flowchart TD'];
  const edges: string[] = [];
  const gated: string[] = [];

  for (const phase of workflow.phases) {
    if (phase.kind === 'map' && phase.map !== undefined) {
      lines.push(`  subgraph ${node(phase.id)} ["${label(phase.id, `map over ${phase.map.over}`)}"]`);
      const inner = (id: string): string => node(`${phase.id}.${id}`);
      const innerEdges: string[] = [];
      for (const template of phase.map.phases) {
        lines.push(`    ${inner(template.id)}["${label(template.id, describe(template))}"]`);
        if (template.gate) gated.push(inner(template.id));
        innerEdges.push(...edgesOf(template, inner, undefined).map((edge) => `    ${edge}`));
      }
      lines.push(...innerEdges, '  end');
    } else {
      lines.push(`  ${node(phase.id)}["${label(phase.id, describe(phase))}"]`);
      if (phase.gate) gated.push(node(phase.id));
    }
    edges.push(...edgesOf(phase, node, phase.map?.over).map((edge) => `  ${edge}`));
  }
  lines.push(...edges);
  if (gated.length > 0) lines.push('  classDef gate stroke-width:3px', `  class ${gated.join(',')} gate`);
  return lines.join('\n');
}

/** The edges into `phase` from what it needs, and its dotted edge to the phase it reviews. */
function edgesOf(phase: PhaseDefinition, node: (id: string) => string, over: string | undefined): string[] {
  const edges = phase.needs.map(
    (need) => `${node(need)} -->${need === over ? '|over|' : ''} ${node(phase.id)}`,
  );
  if (phase.reviews !== undefined) {
    const verb = phase.review?.advisory === true ? 'advises' : 'reviews';
    edges.push(`${node(phase.id)} -.->|${verb}| ${node(phase.reviews)}`);
  }
  return edges;
}

/** What a phase is, for its label: `tool`, `agent: <name>`, `<kind>: <step>`, and `· gate`. */
function describe(phase: PhaseDefinition): string {
  let kind: string = phase.kind;
  if (phase.kind === 'agent' && phase.agent !== undefined) kind = `agent: ${phase.agent}`;
  // An in-process step names what it runs; a tool's `run` is a shell command, too long to show.
  else if (phase.kind !== 'tool' && phase.run !== undefined) kind = `${phase.kind}: ${phase.run}`;
  return phase.gate ? `${kind} · gate` : kind;
}

/** A node's label: the id, and below it what the phase is; quotes written as Mermaid entities. */
function label(id: string, detail: string): string {
  return `${escape(id)}<br/>${escape(detail)}`;
}

function escape(text: string): string {
  return text.replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;');
}

/** A Mermaid id for every phase (key: its id) and template phase (key: `<map>.<id>`). */
function nodeIds(workflow: WorkflowDefinition): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  const add = (key: string, wanted: string): void => {
    let base = wanted.replace(/[^a-z0-9]/g, '_');
    if (!/^[a-z]/.test(base) || RESERVED.has(base)) base = `p_${base}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(key, id);
  };
  for (const phase of workflow.phases) add(phase.id, phase.id);
  for (const phase of workflow.phases) {
    for (const template of phase.map?.phases ?? [])
      add(`${phase.id}.${template.id}`, `${phase.id}__${template.id}`);
  }
  return ids;
}
