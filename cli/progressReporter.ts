import type { CommandIo } from './commandIo.js';

/** A counter on stderr: redrawn in place on a terminal, a line every 10% otherwise. */
export function progressReporter(io: CommandIo, label: string): (done: number, total: number) => void {
  let lastDecile = -1;
  return (done, total) => {
    if (io.interactive) {
      if (done === total || done % 100 === 0)
        io.stderr(`\r${label}: ${done}/${total}${done === total ? '\n' : ''}`);
      return;
    }
    const decile = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (decile !== lastDecile && (decile === 10 || done === 1 || decile > lastDecile)) {
      lastDecile = decile;
      io.stderr(`${label}: ${done}/${total}\n`);
    }
  };
}
