#!/usr/bin/env node
// The `journey` command (package.json "bin"). In a source checkout it runs the TypeScript
// CLI in src/cli/ through tsx's loader, so it needs no build step and never runs a stale
// build; where there is no src/ (the Docker image: dist/ only, no tsx) it runs the
// compiled CLI.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
