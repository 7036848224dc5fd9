/** Counters the live progress line shows. */
export interface ProgressCounts {
  readonly total: number;
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
}

/** Renders one progress line: bar, counts and completion rate. */
export function renderProgress(counts: ProgressCounts, elapsedMs: number, width = 30): string {
  const done = counts.completed + counts.failed;
  const filled = counts.total === 0 ? width : Math.round((done / counts.total) * width);
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  return (
    `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${counts.total}` +
    `  dispatched ${counts.started}  completed ${counts.completed}  failed ${counts.failed}  ${rate.toFixed(1)} jobs/s`
  );
}

/** A progress line redrawn in place on a terminal, or printed every `everyMs` elsewhere (CI logs). */
export function startProgress(read: () => ProgressCounts, stream: NodeJS.WriteStream = process.stdout, everyMs = 250): { stop(): void } {
  const started = Date.now();
  const tty = stream.isTTY === true;
  let last = '';
  const draw = (final = false): void => {
    const line = renderProgress(read(), Date.now() - started);
    if (tty) stream.write(`\r${line}${final ? '\n' : ''}`);
    else if (final || line !== last) {
      if (final || Date.now() - started > 0) stream.write(`${line}\n`);
    }
    last = line;
  };
  const timer = setInterval(() => draw(), tty ? everyMs : Math.max(everyMs, 2_000));
  return {
    stop: () => {
      clearInterval(timer);
      draw(true);
    },
  };
}
