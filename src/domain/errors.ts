/** Where in an input file a problem was found; line is 1-based and counts the header as line 1. */
export interface FileLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  /** Workbooks: the sheet and the cell (`C14`); `line` is then the sheet's row number. */
  readonly sheet?: string;
  readonly cell?: string;
}

export interface InputProblem extends FileLocation {
  readonly value?: string;
  readonly expected: string;
}

export function describeProblem(p: InputProblem): string {
  const where = [
    p.file,
    p.sheet === undefined ? null : `sheet "${p.sheet}"`,
    p.cell !== undefined ? `cell ${p.cell}` : p.line === undefined ? null : `${p.sheet === undefined ? 'line' : 'row'} ${p.line}`,
    p.column === undefined ? null : `column "${p.column}"`,
  ]
    .filter((x) => x !== null)
    .join(', ');
  const got = p.value === undefined ? '' : `: found ${JSON.stringify(p.value.length > 80 ? `${p.value.slice(0, 80)}…` : p.value)}`;
  return `${where}${got}; expected ${p.expected}`;
}

/** A file the caller gave us is not what its adapter expects. Nothing was written. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly problems: readonly InputProblem[]) {
    const shown = problems.slice(0, 10).map(describeProblem);
    const more = problems.length > 10 ? [`… and ${problems.length - 10} more problems`] : [];
    super([...shown, ...more].join('\n'));
  }
}

/** A request names something that does not exist or asks for something unsupported (maps to HTTP 4xx). */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly code: 'not_found' | 'bad_request' | 'store_busy' | 'unauthorized' | 'forbidden' | 'conflict' | 'method_not_allowed' | 'unavailable' | 'too_many_requests',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Seconds a client is asked to wait (Retry-After) when a read was stopped for taking too long. */
export const QUERY_RETRY_AFTER_SECONDS = 5;

export function queryTimedOut(timeoutMs: number): RequestError {
  return new RequestError(
    'unavailable',
    `the query took longer than ${timeoutMs / 1000} s and was stopped so that other requests are answered; ask for fewer places or periods, or try again shortly`,
    { timeoutMs, retryAfterSeconds: QUERY_RETRY_AFTER_SECONDS },
  );
}
