import cliProgress from 'cli-progress';

/** A progress bar on stderr when it is a terminal; silent otherwise, so piped output stays clean. */
export function fileProgress(total: number): { update(index: number, label: string): void; stop(): void } {
  if (!process.stderr.isTTY) {
    return { update: (index, label) => console.error(`[${index + 1}/${total}] ${label}`), stop: () => undefined };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'loading {bar} {value}/{total} {label}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    update: (index, label) => bar.update(index, { label }),
    stop: () => {
      bar.update(total, { label: 'done' });
      bar.stop();
    },
  };
}
