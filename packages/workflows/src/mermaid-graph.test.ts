import { parseWorkflow, type WorkflowDefinition } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { mermaidGraph } from './mermaid-graph.js';

function definition(lines: readonly string[]): WorkflowDefinition {
  const parsed = parseWorkflow(lines.join('\n'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.workflow;
}

describe('the Mermaid graph of a workflow', () => {
  it('draws a diamond: nodes in definition order, an edge from each need', () => {
    const diamond = definition([
      'id: diamond',
      'phases:',
      '  - { id: start, kind: tool, run: echo hello }',
      '  - { id: left, kind: tool, run: "true", needs: [start] }',
      '  - { id: right, kind: human, needs: [start] }',
      '  - { id: join, kind: tool, run: "true", needs: [left, right] }',
    ]);
    expect(mermaidGraph(diamond)).toBe(
      [
        'flowchart TD',
        '  start["start<br/>tool"]',
        '  left["left<br/>tool"]',
        '  right["right<br/>human"]',
        '  join["join<br/>tool"]',
        '  start --> left',
        '  start --> right',
        '  left --> join',
        '  right --> join',
      ].join('\n'),
    );
  });

  it('marks a gate in its label and with the gate class, and names the agent', () => {
    const gated = definition([
      'id: gated',
      'fixtures: { spec: { output: Spec }, plan: { output: Plan } }',
      'phases:',
      '  - { id: spec, kind: agent, agent: scripted, gate: true }',
      '  - { id: plan, kind: agent, agent: scripted, needs: [spec], gate: true }',
      '  - { id: end, kind: tool, run: "true", needs: [plan] }',
    ]);
    expect(mermaidGraph(gated)).toBe(
      [
        'flowchart TD',
        '  spec["spec<br/>agent: scripted · gate"]',
        '  plan["plan<br/>agent: scripted · gate"]',
        // `end` is a word of Mermaid's syntax: its node id is prefixed, its label is not.
        '  p_end["end<br/>tool"]',
        '  spec --> plan',
        '  plan --> p_end',
        '  classDef gate stroke-width:3px',
        '  class spec,plan gate',
      ].join('\n'),
    );
  });

  it('draws a dotted edge from a reviewer to what it reviews, "advises" for an advisory one', () => {
    const reviewed = definition([
      'id: reviewed',
      'fixtures: { code: { output: x }, spec: { output: x } }',
      'phases:',
      '  - { id: spec, kind: agent, agent: scripted, gate: true }',
      '  - { id: align, kind: agent, agent: scripted, needs: [spec], reviews: spec, advisory: true }',
      '  - { id: code, kind: agent, agent: scripted, needs: [spec] }',
      '  - { id: code-review, kind: agent, agent: scripted, needs: [code], reviews: code }',
    ]);
    expect(mermaidGraph(reviewed)).toBe(
      [
        'flowchart TD',
        '  spec["spec<br/>agent: scripted · gate"]',
        '  align["align<br/>agent: scripted"]',
        '  code["code<br/>agent: scripted"]',
        '  code_review["code-review<br/>agent: scripted"]',
        '  spec --> align',
        '  align -.->|advises| spec',
        '  spec --> code',
        '  code --> code_review',
        '  code_review -.->|reviews| code',
        '  classDef gate stroke-width:3px',
        '  class spec gate',
      ].join('\n'),
    );
  });

  it('draws a map as a subgraph of its template, the mapped-over edge labelled', () => {
    const mapped = definition([
      'id: mapped',
      'fixtures: { plan: { output: [] }, "tasks[*].review": { output: { verdict: approve } } }',
      'phases:',
      '  - { id: plan, kind: agent, agent: scripted, output: { type: array } }',
      '  - id: tasks',
      '    kind: map',
      '    over: plan',
      '    collect: code',
      '    phases:',
      '      - { id: code, kind: tool, run: "true", gate: true }',
      '      - { id: review, kind: agent, agent: scripted, needs: [code], reviews: code }',
      '  - { id: report, kind: tool, run: "true", needs: [tasks] }',
    ]);
    expect(mermaidGraph(mapped)).toBe(
      [
        'flowchart TD',
        '  plan["plan<br/>agent: scripted"]',
        '  subgraph tasks ["tasks<br/>map over plan"]',
        '    tasks__code["code<br/>tool · gate"]',
        '    tasks__review["review<br/>agent: scripted"]',
        '    tasks__code --> tasks__review',
        '    tasks__review -.->|reviews| tasks__code',
        '  end',
        '  report["report<br/>tool"]',
        '  plan -->|over| tasks',
        '  tasks --> report',
        '  classDef gate stroke-width:3px',
        '  class tasks__code gate',
      ].join('\n'),
    );
  });

  it('gives distinct node ids to phase ids that differ only in - and _', () => {
    const close = definition([
      'id: close',
      'phases:',
      '  - { id: a-b, kind: tool, run: "true" }',
      '  - { id: a_b, kind: tool, run: "true", needs: [a-b] }',
      '  - { id: 1st, kind: tool, run: "true", needs: [a_b] }',
    ]);
    expect(mermaidGraph(close).split('\n').slice(1)).toEqual([
      '  a_b["a-b<br/>tool"]',
      '  a_b_2["a_b<br/>tool"]',
      '  p_1st["1st<br/>tool"]',
      '  a_b --> a_b_2',
      '  a_b_2 --> p_1st',
    ]);
  });
});
