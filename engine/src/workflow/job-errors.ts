// The errors the executor reports: a failed job (step, device, cause, what was undone), a cancellation, a passed deadline.

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A job that failed and was compensated: which step, on which device, why (`cause`), and what was undone. */
export class JobFailedError extends Error {
  constructor(
    readonly jobId: string,
    readonly step: string,
    readonly device: string | null,
    override readonly cause: unknown,
    readonly undone: string[],
  ) {
    super(failureMessage(step, device, cause, undone));
    this.name = 'JobFailedError';
  }
}

function failureMessage(step: string, device: string | null, cause: unknown, undone: string[]): string {
  const where = device ? ` on ${device}` : '';
  const tail = undone.length > 0 ? ` (undone: ${undone.join(', ')})` : '';
  return `step "${step}"${where} failed: ${errorText(cause)}${tail}`;
}

/** The job was cancelled (CancelJob, or the API call that started it was cancelled) before this step started. */
export class JobCancelledError extends Error {
  readonly retryable = false;

  constructor(readonly reason: string) {
    super(`cancelled: ${reason}`);
    this.name = 'JobCancelledError';
  }
}

/** The job's deadline passed before this step could start. */
export class JobDeadlineError extends Error {
  readonly retryable = false;

  /** `running`: the deadline passed while the step ran (its waits end; the device call in flight finishes). */
  constructor(step: string, deadline: string, running = false) {
    super(running ? `step "${step}" was stopped: the job's deadline ${deadline} passed while it ran` : `step "${step}" was not started: the job's deadline ${deadline} has passed`);
    this.name = 'JobDeadlineError';
  }
}

/** A job could not be started: unknown kind, or input its kind refuses. Nothing was journaled. */
export class JobInputError extends Error {
  readonly retryable = false;

  constructor(
    /** What was wrong: the kind, or the input. */
    readonly field: 'kind' | 'input',
    message: string,
  ) {
    super(message);
    this.name = 'JobInputError';
  }
}
