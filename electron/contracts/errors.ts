import { z } from 'zod';

/** Every failure a caller can see has one of these codes; UIs branch on the code, never on the text. */
export const ErrorCode = z.enum([
  'bad_request', // the frame itself is not a well-formed request
  'unknown_command',
  'invalid_payload', // the payload failed the command's schema; `issues` says where
  'too_large',
  'not_found',
  'conflict',
  'unauthorized', // no valid session: sign in first
  'forbidden', // signed in, but the role does not allow it
  'unavailable', // the engine is shutting down or a resource it needs is missing
  'rate_limited', // too many requests from this client; slow down and retry
  'transport', // client side: the connection failed or closed before an answer
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorIssue = z.object({ path: z.string(), message: z.string() });
export type ErrorIssue = z.infer<typeof ErrorIssue>;

export const RpcErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.array(ErrorIssue).optional(),
});
export type RpcErrorShape = z.infer<typeof RpcErrorShape>;

/** The one error type that crosses the contract, on either side. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;

  constructor(code: ErrorCode, message: string, issues?: ErrorIssue[]) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
    this.issues = issues;
  }

  toShape(): RpcErrorShape {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }

  static fromShape(shape: RpcErrorShape): ParleyError {
    return new ParleyError(shape.code, shape.message, shape.issues);
  }
}

/** Flattens zod issues into path/message pairs a form can show next to its fields. */
export function issuesFromZod(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
