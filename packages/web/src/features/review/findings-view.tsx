/**
 * A review's findings grouped blocking → suggestion → nit, and its rubric as a checklist; each
 * level and status carries an icon and a word, never colour alone.
 */
import {
  checklistOf,
  findingsOf,
  groupFindings,
  type ChecklistStatus,
  type FindingLevel,
} from './findings.js';

// Plain symbols every system font has (no emoji: a server without an emoji font shows boxes).
const LEVEL: Record<FindingLevel, { icon: string; title: string }> = {
  blocking: { icon: '■', title: 'Blocking' },
  suggestion: { icon: '▲', title: 'Suggestions' },
  nit: { icon: '·', title: 'Nits' },
};

const STATUS: Record<ChecklistStatus, { icon: string; word: string }> = {
  pass: { icon: '✓', word: 'Pass' },
  fail: { icon: '✕', word: 'Fail' },
  not_applicable: { icon: '–', word: 'Not applicable' },
  unknown: { icon: '?', word: 'Unknown' },
};

/** The findings of `output` (a review's), or nothing when it has none. */
export function FindingsList({ output }: { readonly output: unknown }) {
  const groups = groupFindings(findingsOf(output));
  if (groups.length === 0) return null;
  return (
    <div className="findings">
      {groups.map((group) => (
        <section key={group.level} className={`finding-group level-${group.level}`}>
          <h4>
            <span aria-hidden="true">{LEVEL[group.level].icon} </span>
            {LEVEL[group.level].title} ({group.findings.length})
          </h4>
          <ul>
            {group.findings.map((finding, index) => (
              <li key={index}>
                {finding.where === undefined ? null : <code className="finding-where">{finding.where}</code>}{' '}
                {finding.message}
                {finding.severity === undefined ? null : (
                  <span className="finding-severity"> ({finding.severity})</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** The rubric or checklist of `output`, or nothing when it has none. */
export function Checklist({ output }: { readonly output: unknown }) {
  const items = checklistOf(output);
  if (items.length === 0) return null;
  const passed = items.filter((item) => item.status === 'pass').length;
  return (
    <section className="checklist">
      <h4>
        Checklist: {passed} of {items.length} pass
      </h4>
      <ul>
        {items.map((item, index) => (
          <li key={item.id ?? index} className={`check check-${item.status}`}>
            <span className="check-status">
              <span aria-hidden="true">{STATUS[item.status].icon}</span> {STATUS[item.status].word}
            </span>
            <span className="check-label">
              {item.id === undefined ? null : <strong>{item.id} </strong>}
              {item.label}
              {item.evidence === undefined ? null : <span className="check-evidence">{item.evidence}</span>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
