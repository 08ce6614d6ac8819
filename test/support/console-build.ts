import { buildConsole, consoleIsStale } from '../../scripts/build-console.ts';

/** The end-to-end tests drive the built console: build it once per run, only when the sources changed. */
export function setup(): void {
  if (consoleIsStale()) buildConsole();
}
