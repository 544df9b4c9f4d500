/** An RFC 9457 problem body, plus our stable `code` and the request's correlation id. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldError[];
}

export interface FieldError {
  field: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `EMAIL_TAKEN` → `urn:problem-type:email-taken`: a stable URI per code. */
export function problemType(code: string): string {
  return `urn:problem-type:${code.toLowerCase().replaceAll('_', '-')}`;
}
