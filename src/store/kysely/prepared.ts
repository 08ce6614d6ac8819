import { createHash } from 'node:crypto';

/**
 * Query texts PostgreSQL keeps parsed and planned on each connection (named prepared statements), so
 * running one again sends only its parameters. Planning the verification lookup cost several times what
 * running it did. Only a few hot, fixed texts are kept: a statement lives as long as its connection, so
 * texts that vary (IN lists, multi-row VALUES) must not be. SQLite keeps its own statement cache (store.ts).
 */
const names = new Map<string, string>();

/** Marks a query text as kept prepared; its name is derived from the text, so it is stable and unique. */
export function keepPrepared(text: string): void {
  if (!names.has(text)) {
    names.set(text, `tessera_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);
  }
}

/** The statement name of a kept text, or undefined for an ordinary query. */
export function preparedName(text: string): string | undefined {
  return names.get(text);
}
