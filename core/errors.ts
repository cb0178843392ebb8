/** Typed errors. Every error a user can cause carries a message that says what and where. */

/** A declaration, option or input file is wrong; the message is ready to print. */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UserError";
  }
}

/** A command line that cannot be understood (exit code 2). */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Declarations failed validation; the diagnostics were already reported. */
export class ConfigError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** Renders anything thrown as one line: our errors as they are, others with their type. */
export function describeError(error: unknown): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `non-Error thrown: ${String(error)}`;
}
