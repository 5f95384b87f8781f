/** Where a command writes; tests pass buffers, the binaries pass the process streams. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress redraws in place). */
  interactive: boolean;
  now: () => Date;
  env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY),
    now: () => new Date(),
    env: process.env,
  };
}

/** Usage and input errors: exit code 2 with the message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
