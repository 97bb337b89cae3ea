/** An API error the stand-in answers with `{"Response": {"Error": {Code, Message}}}`. */
export class TencentApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'TencentApiError';
    this.code = code;
  }
}

/** `found`, or when there is none, the error `code` the API answers for what is missing. */
export function orNotFound<T>(
  found: T | undefined,
  code: string,
  message: string,
): T {
  if (found === undefined) {
    throw new TencentApiError(code, message);
  }
  return found;
}
