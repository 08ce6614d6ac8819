import { type ErrorCode, TesseraError } from '../../core/errors.ts';

/** Whether a database error is a unique-constraint violation (PostgreSQL 23505; SQLite UNIQUE or PRIMARY KEY). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Awaits a write and turns a unique-constraint violation into the 409 the core would have raised: two
 * concurrent requests can both pass the core's "is this name free?" check, and the second one's insert is
 * then refused by the database, which must read as a conflict, never as a 500.
 */
export async function conflictAs<T>(
  write: Promise<T>,
  code: ErrorCode,
  message: string,
  field: string,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error)) throw new TesseraError(code, message, { field });
    throw error;
  }
}
