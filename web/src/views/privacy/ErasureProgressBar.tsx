/** An erasure request's progress: its items counted by status, as a bar and in words. */
import type { ReactNode } from 'react';
import type { ErasureProgress } from './privacy-queries';

export function ErasureProgressBar({ progress }: { progress: ErasureProgress }): ReactNode {
  const done = progress.total - progress.pending;
  return (
    <span className="erasure-progress" data-total={progress.total} data-pending={progress.pending}>
      <progress max={Math.max(progress.total, 1)} value={progress.total === 0 ? 1 : done} aria-label="items dealt with" />{' '}
      {done} of {progress.total} dealt with
      <span className="muted"> ({progress.erased} erased, {progress.retrained} retrained, {progress.exempt} exempt, {progress.pending} pending)</span>
    </span>
  );
}
