/**
 * The lineage view's type choices ("stop at" and "show only"), written in the URL as
 * `a:<artifact type>` and `e:<execution type>` so one name used by both kinds stays two
 * choices, and turned into the lineage arguments (LineageStopInput; artifactTypes and
 * executionTypes) here.
 */
import type { ReactNode } from 'react';

/** `a:Model` or `e:Trainer`. */
export type TypeChoice = string;

function split(choices: readonly TypeChoice[]): { artifactTypes: string[]; executionTypes: string[] } {
  const artifactTypes = choices.filter((c) => c.startsWith('a:')).map((c) => c.slice(2));
  const executionTypes = choices.filter((c) => c.startsWith('e:')).map((c) => c.slice(2));
  return { artifactTypes, executionTypes };
}

/** The `stopAt` argument for the choices (absent when there are none). */
export function stopArg(choices: readonly TypeChoice[]): { artifactTypes?: string[]; executionTypes?: string[] } | undefined {
  const { artifactTypes, executionTypes } = split(choices);
  if (artifactTypes.length === 0 && executionTypes.length === 0) return undefined;
  return { ...(artifactTypes.length ? { artifactTypes } : {}), ...(executionTypes.length ? { executionTypes } : {}) };
}

/**
 * The `artifactTypes`/`executionTypes` filter arguments: a kind with no choice is absent
 * (every node of that kind is shown), as the API reads them.
 */
export function filterArgs(choices: readonly TypeChoice[]): { artifactTypes?: string[]; executionTypes?: string[] } {
  const { artifactTypes, executionTypes } = split(choices);
  return { ...(artifactTypes.length ? { artifactTypes } : {}), ...(executionTypes.length ? { executionTypes } : {}) };
}

const unique = (names: { name: string }[]): string[] => [...new Set(names.map((t) => t.name))];

/** A multiple choice of the server's artifact and execution types. */
export function TypePicker({ label, name, value, types, onChange }: {
  label: string;
  name: string;
  value: readonly TypeChoice[];
  types: { artifactTypes: { name: string }[]; executionTypes: { name: string }[] };
  onChange: (value: TypeChoice[]) => void;
}): ReactNode {
  return (
    <label className="type-picker">{label}{' '}
      <select multiple name={name} value={[...value]} size={3}
        onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}>
        <optgroup label="Artifacts">
          {unique(types.artifactTypes).map((t) => <option key={`a:${t}`} value={`a:${t}`}>{t}</option>)}
        </optgroup>
        <optgroup label="Executions">
          {unique(types.executionTypes).map((t) => <option key={`e:${t}`} value={`e:${t}`}>{t}</option>)}
        </optgroup>
      </select>
    </label>
  );
}
