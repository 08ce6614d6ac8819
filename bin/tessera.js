#!/usr/bin/env node
// Entry point for the `tessera` command: runs the TypeScript sources through tsx's loader, so there is
// no build step and no stale output to drift from the code.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
