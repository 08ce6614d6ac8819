import type { components } from './schema';

export type ErrorCode = components['schemas']['ErrorBody']['error']['code'];

/** A management API error (`{ error: { code, message, requestId, field? } }`), or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly requestId?: string,
    /** The request field at fault, as the server names it (`expiresAt`, `permissions[0]`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The form field this error belongs beside: `permissions[0]` → `permissions`. */
  get fieldRoot(): string | undefined {
    return this.field?.split(/[.[]/)[0];
  }
}

/** Turns anything a request threw or answered into an ApiError with a message a person can read. */
export function toApiError(error: unknown, status = 0): ApiError {
  if (error instanceof ApiError) return error;
  const body = (error as { error?: { code?: string; message?: string; requestId?: string; field?: string } })
    ?.error;
  if (body?.code && body.message) {
    return new ApiError(status, body.code as ErrorCode, body.message, body.requestId, body.field);
  }
  if (error instanceof TypeError) {
    return new ApiError(
      0,
      'NETWORK',
      'Cannot reach the Tessera server. Check your connection and try again.',
    );
  }
  const message = error instanceof Error ? error.message : 'The server answered in an unexpected way.';
  return new ApiError(status, 'INTERNAL', message);
}

/**
 * Splits an error for a form: the message for a field the form shows goes beside it, anything else is
 * shown once above the buttons.
 */
export function splitFormError(
  error: unknown,
  fields: Record<string, string>,
): { fieldErrors: Record<string, string>; general: ApiError | null } {
  if (!error) return { fieldErrors: {}, general: null };
  const apiError = toApiError(error);
  const formField = apiError.fieldRoot ? fields[apiError.fieldRoot] : undefined;
  if (formField) return { fieldErrors: { [formField]: apiError.message }, general: null };
  return { fieldErrors: {}, general: apiError };
}
