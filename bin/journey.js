#!/usr/bin/env node
// The `journey` command (package.json "bin"): runs the TypeScript CLI in src/cli/ through
// tsx's loader, so the command needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
