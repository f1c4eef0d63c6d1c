import { z } from 'zod';
import { InputError, RequestError } from '../domain/index.js';

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Every failure leaves the API in one JSON shape; 4xx for the caller's mistakes, 5xx for ours. */
export function errorResponse(error: unknown): { status: 400 | 401 | 403 | 404 | 405 | 409 | 422 | 429 | 500 | 503; body: ErrorBody } {
  if (error instanceof RequestError) {
    const STATUS = { not_found: 404, store_busy: 409, bad_request: 400, unauthorized: 401, forbidden: 403, conflict: 409, method_not_allowed: 405, unavailable: 503, too_many_requests: 429 } as const;
    const status = STATUS[error.code];
    return { status, body: { error: { code: error.code, message: error.message, details: error.details } } };
  }
  if (error instanceof InputError) {
    return { status: 422, body: { error: { code: 'invalid_input', message: error.message, details: { problems: error.problems } } } };
  }
  if (error instanceof z.ZodError) {
    return {
      status: 400,
      body: {
        error: {
          code: 'bad_request',
          message: error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '),
          details: { issues: error.issues },
        },
      },
    };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; it has been logged', details: {} } } };
}
