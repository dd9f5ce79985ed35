/**
 * Tabs as the ARIA pattern has them: a `tablist` of `tab` buttons, the selected one in the Tab
 * order and the others reached with the arrow keys, Home and End; the panel a `tabpanel` labelled
 * by its tab.
 */
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Tab {
  readonly id: string;
  readonly label: string;
  readonly render: () => ReactNode;
}

interface TabsProps {
  readonly label: string;
  readonly tabs: readonly Tab[];
  /** The tab shown first (the first tab when absent or not there). */
  readonly initial?: string;
}

export function Tabs({ label, tabs, initial }: TabsProps) {
  const base = useId();
  const [chosen, setChosen] = useState(initial);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const selected = tabs.find((tab) => tab.id === chosen) ?? tabs.find((tab) => tab.id === initial) ?? tabs[0];
  if (selected === undefined) return null;
  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.indexOf(selected);
    const target =
      event.key === 'ArrowRight'
        ? tabs[(index + 1) % tabs.length]
        : event.key === 'ArrowLeft'
          ? tabs[(index - 1 + tabs.length) % tabs.length]
          : event.key === 'Home'
            ? tabs[0]
            : event.key === 'End'
              ? tabs.at(-1)
              : undefined;
    if (target === undefined) return;
    event.preventDefault();
    setChosen(target.id);
    buttons.current.get(target.id)?.focus();
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tab-list" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            ref={(element) => {
              if (element === null) buttons.current.delete(tab.id);
              else buttons.current.set(tab.id, element);
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${tab.id}`}
            aria-selected={tab === selected}
            aria-controls={`${base}-panel`}
            tabIndex={tab === selected ? 0 : -1}
            onClick={() => setChosen(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-tab-${selected.id}`}
        className="tab-panel"
      >
        {selected.render()}
      </div>
    </div>
  );
}
