/** Where the run stands among its workflow's stages (`stages:`): passed, current, ahead. */
import type { StageStep } from '../../store/run-facts.js';

export function StageBreadcrumb({ steps }: { readonly steps: readonly StageStep[] }) {
  if (steps.length === 0) return null;
  return (
    <nav className="stages" aria-label="Stages">
      <ol>
        {steps.map((step) => (
          <li
            key={step.stage}
            className={step.current ? 'current' : step.passed ? 'passed' : undefined}
            aria-current={step.current ? 'step' : undefined}
          >
            {step.passed ? <span aria-hidden="true">✓ </span> : null}
            {step.stage.replaceAll('_', ' ')}
          </li>
        ))}
      </ol>
    </nav>
  );
}
