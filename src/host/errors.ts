/** A failure on the host whose message is for the user as is: nothing to do with the spec, nothing to debug. */
export class HostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostError';
  }
}

/** The command line asked for something the spec or host cannot give (e.g. an unknown --host). */
export class HostUsageError extends HostError {
  constructor(message: string) {
    super(message);
    this.name = 'HostUsageError';
  }
}
