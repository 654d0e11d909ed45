/** Output helpers shared by the commands that list what the server stored. */

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

export const consoleIo: CommandIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
};

export function positiveInt(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9][0-9]*$/.test(text) ? Number(text) : undefined;
}

/** "2026-11-21 10:00:09", UTC. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** "1m05s", "7s"; rounded to the second. */
export function minutesSeconds(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const sec = total % 60;
  return m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/** Left-aligned columns two spaces apart; the first row is the heading. */
export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}
