// Whether a build output is older than its sources, by modification times. Plain JavaScript, because
// bin/tessera.js asks before any TypeScript loader is running; the build scripts share it.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The newest modification time (ms since the epoch) of a file, or of a directory and everything under it;
 * 0 when it does not exist. A directory's own time counts, so a deleted file makes it newer too.
 * @param {string} file
 * @returns {number}
 */
export function newestMtime(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

/**
 * Whether `output` is missing or older than any of `inputs` (files or directories, walked).
 * @param {string} output
 * @param {string[]} inputs
 * @returns {boolean}
 */
export function isStale(output, inputs) {
  const built = statSync(output, { throwIfNoEntry: false });
  if (!built) return true;
  return inputs.some((input) => newestMtime(input) > built.mtimeMs);
}
