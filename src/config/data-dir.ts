import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The data dir holds the SQLite database (token hashes, users, settings) and the generated secrets: only
 * the service's own user may read it, whatever the umask. Modes are set explicitly (the umask only ever
 * takes bits away, and may take the owner's too).
 */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Creates a directory (and its parents) readable by its owner only; an existing one is left as it is. */
export function makePrivateDir(dir: string): void {
  if (mkdirSync(dir, { recursive: true, mode: DIR_MODE }) !== undefined) chmodSync(dir, DIR_MODE);
}

/** Creates an empty file readable and writable by its owner only, unless it exists. */
export function makePrivateFile(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    fchmodSync(fd, FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/**
 * Warnings for a data dir, or files in it, that other users may read or change (made by an older version
 * or by hand): said at start-up, not changed, as a wider mode may be deliberate.
 */
export function dataDirWarnings(dir: string): string[] {
  if (process.platform === 'win32') return [];
  const wide = (file: string, want: number): string[] => {
    const mode = statSync(file, { throwIfNoEntry: false })?.mode;
    return mode === undefined || (mode & 0o077) === 0
      ? []
      : [
          `${file} is open to other users (mode ${octal(mode)}); restrict it with: chmod ${octal(want)} ${file}`,
        ];
  };
  const warnings = wide(dir, DIR_MODE);
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)))
      if (entry.isFile()) warnings.push(...wide(path.join(dir, entry.name), FILE_MODE));
  }
  return warnings;
}
