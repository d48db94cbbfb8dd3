// Human-facing output of the launcher: progress lines, prefixed service logs, the URL table.
const COLOURS = [36, 35, 33, 32, 34, 31];

export function createOutput(useColour: boolean) {
  const paint = (code: number, text: string) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const width = 9;
  return {
    step(text: string) {
      process.stdout.write(`${paint(1, '▸')} ${text}\n`);
    },
    done(text: string) {
      process.stdout.write(`${paint(32, '✔')} ${text}\n`);
    },
    fail(text: string) {
      process.stderr.write(`${paint(31, '✖')} ${text}\n`);
    },
    prefixer(name: string, index: number) {
      const prefix = paint(COLOURS[index % COLOURS.length] ?? 37, name.padEnd(width));
      return (line: string) => process.stdout.write(`${prefix}│ ${formatLogLine(line)}\n`);
    },
    table(rows: string[][]) {
      const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
      const line = (row: string[]) => row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ');
      process.stdout.write(`\n${paint(1, line(rows[0] ?? []))}\n`);
      for (const row of rows.slice(1)) process.stdout.write(`${line(row)}\n`);
      process.stdout.write('\n');
    },
  };
}

export type Output = ReturnType<typeof createOutput>;

/** Services log JSON (for machines); show people the level, message and a few useful fields. */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const level = typeof entry.level === 'string' ? entry.level : '';
    const fields = ['method', 'path', 'status', 'ms', 'requestId']
      .filter((key) => entry[key] !== undefined)
      .map((key) => `${key}=${String(entry[key])}`)
      .join(' ');
    const error =
      typeof entry.err === 'object' && entry.err !== null && 'message' in entry.err
        ? ` ${String(entry.err.message)}`
        : '';
    return `${level === 'info' ? '' : `${level.toUpperCase()} `}${String(entry.msg ?? '')}${fields ? ` ${fields}` : ''}${error}`;
  } catch {
    return line;
  }
}
