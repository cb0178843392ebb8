import { UserError } from "../errors.ts";

/** A request the server refuses: the HTTP status and a message that names what is wrong. */
export class RequestError extends UserError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}
