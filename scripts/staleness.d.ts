/** Types of ./staleness.js (plain JavaScript, so that bin/tessera.js can use it without a loader). */

/** The newest modification time (ms since the epoch) of a file, or of a directory and everything under it; 0 when missing. */
export function newestMtime(file: string): number;

/** Whether `output` is missing or older than any of `inputs` (files or directories, walked). */
export function isStale(output: string, inputs: string[]): boolean;
