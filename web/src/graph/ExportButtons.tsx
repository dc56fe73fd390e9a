/**
 * "Export SVG" and "Export PNG" for the drawing on the canvas (its last finished layout):
 * the files are made in the page (svg-export.ts) and downloaded through a blob: URL.
 */
import { useState, type ReactNode } from 'react';
import type { Layout } from './graph-model';
import { exportPng, exportSvg } from './svg-export';

export function ExportButtons({ layout, base }: { layout: Layout | null; base: string }): ReactNode {
  const [failure, setFailure] = useState<string | null>(null);
  const png = (): void => {
    if (!layout) return;
    setFailure(null);
    exportPng(layout, base).catch((e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
  };
  return (
    <span className="export-buttons">
      <button type="button" disabled={!layout} onClick={() => { if (layout) exportSvg(layout, base); }}>Export SVG</button>
      <button type="button" disabled={!layout} onClick={png}>Export PNG</button>
      {failure ? <span className="error" role="alert">The PNG could not be made: {failure}</span> : null}
    </span>
  );
}
