/**
 * How often a cron schedule fires, at worst: the longest gap between two firings over a year, in
 * minutes. GitHub Actions' `on.schedule` semantics (UTC; when both day fields are restricted, a day
 * matches either). The expression must be valid (`checkCron`). Pure.
 */
import { CRON_FIELDS, parseCronValue } from "../rules/check-cron.ts";

type Field = (typeof CRON_FIELDS)[number];

function expandPart(part: string, field: Field, into: Set<number>): void {
  const [range = "*", stepText] = part.split("/");
  const step = stepText === undefined ? 1 : Number(stepText);
  let low = field.min;
  let high = field.max;
  if (range !== "*") {
    const [from = "", to] = range.split("-");
    low = parseCronValue(from, field) ?? field.min;
    high = to === undefined ? (stepText === undefined ? low : field.max) : (parseCronValue(to, field) ?? low);
  }
  for (let value = low; value <= high; value += step)
    into.add(field.name === "day of week" ? value % 7 : value);
}

function expand(text: string, field: Field): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) expandPart(part, field, values);
  return values;
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** The longest gap between firings, in minutes, over the year from 2025-01-01 (UTC). */
export function cronPeriodMinutes(expression: string): number {
  const texts = expression.trim().split(/\s+/);
  const [minutes, hours, days, months, weekdays] = CRON_FIELDS.map((field, i) =>
    expand(texts[i] ?? "*", field),
  );
  if (!minutes || !hours || !days || !months || !weekdays) return Number.POSITIVE_INFINITY;
  const dayRestricted = texts[2] !== "*";
  const weekdayRestricted = texts[4] !== "*";
  const start = Date.UTC(2025, 0, 1);
  const sortedHours = [...hours].sort((a, b) => a - b);
  const sortedMinutes = [...minutes].sort((a, b) => a - b);
  let previous: number | undefined;
  let first: number | undefined;
  let longest = 0;
  for (let day = start; day < start + 366 * DAY; day += DAY) {
    const date = new Date(day);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const byDay = days.has(date.getUTCDate());
    const byWeekday = weekdays.has(date.getUTCDay());
    const matches =
      dayRestricted && weekdayRestricted
        ? byDay || byWeekday
        : dayRestricted
          ? byDay
          : weekdayRestricted
            ? byWeekday
            : true;
    if (!matches) continue;
    for (const hour of sortedHours)
      for (const minute of sortedMinutes) {
        const at = day + (hour * 60 + minute) * MINUTE;
        if (previous !== undefined) longest = Math.max(longest, at - previous);
        first ??= at;
        previous = at;
      }
  }
  if (first === undefined || previous === undefined) return Number.POSITIVE_INFINITY;
  // The gap that wraps around the year (a yearly schedule fires once: 365 days).
  longest = Math.max(longest, first + 365 * DAY - previous);
  return longest / MINUTE;
}
