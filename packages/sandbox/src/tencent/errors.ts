/** An API error the stand-in answers with `{"Response": {"Error": {Code, Message}}}`. */
export class TencentApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'TencentApiError';
    this.code = code;
  }
}
