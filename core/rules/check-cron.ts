/** Validates a 5-field POSIX cron expression as GitHub Actions' `on.schedule` accepts it. */

export const CRON_FIELDS = [
  { name: "minute", min: 0, max: 59, names: [] as string[] },
  { name: "hour", min: 0, max: 23, names: [] as string[] },
  { name: "day of month", min: 1, max: 31, names: [] as string[] },
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  },
  { name: "day of week", min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

export function parseCronValue(text: string, field: (typeof CRON_FIELDS)[number]): number | undefined {
  const index = field.names.indexOf(text.toLowerCase());
  if (index >= 0) return index + field.min;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}

function checkPart(part: string, field: (typeof CRON_FIELDS)[number]): string | undefined {
  const [range = "", step, extra] = part.split("/");
  if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) {
    return `${field.name}: bad step in ${JSON.stringify(part)}`;
  }
  if (range === "*") return undefined;
  const [from = "", to, more] = range.split("-");
  const low = parseCronValue(from, field);
  const high = to === undefined ? low : parseCronValue(to, field);
  if (more !== undefined || low === undefined || high === undefined) {
    return `${field.name}: ${JSON.stringify(part)} is not a value from ${field.min} to ${field.max}`;
  }
  if (high < low) return `${field.name}: range ${JSON.stringify(range)} runs backwards`;
  return undefined;
}

/** Returns what is wrong with the expression, or undefined when it is valid. */
export function checkCron(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    return `cron needs 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}: ${JSON.stringify(expression)}`;
  }
  for (const [i, text] of parts.entries()) {
    const field = CRON_FIELDS[i];
    if (!field) continue;
    for (const part of text.split(",")) {
      const problem = checkPart(part, field);
      if (problem) return problem;
    }
  }
  return undefined;
}
