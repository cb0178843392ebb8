#!/usr/bin/env node
// Generates the weather example's data files from the seattle-weather dataset in the
// `vega-datasets` npm package (daily Seattle weather, 2012-2015).
//
//   data/train.csv   2012-2013   training rows, with the `weather` label
//   data/eval.csv    2014        evaluation rows, with the `weather` label
//   data/live.csv    2015        "production" rows, with the label (for later evaluation)
//   data/live.jsonl  2015        feature columns only, one JSON object a line: logged production inputs
//
// The files in data/ are generated: never edit them by hand. Regenerate them with
//
//   node scripts/prepare-data.js            (from examples/weather; writes data/ next to this script)
//   node scripts/prepare-data.js --out DIR  (writes into DIR, relative to the current directory)
//
// The output is deterministic: the same package version gives the same bytes, which a test checks.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readCsv, toCsv } from "../lib/read-csv.js";

/** Columns copied from the source, in output order. */
const SOURCE_COLUMNS = ["date", "precipitation", "temp_max", "temp_min", "wind"];
/** Columns derived here from `date`. */
const DERIVED_COLUMNS = ["precipitation_log1p", "month_sin", "month_cos"];
const LABEL = "weather";
/** The model's input columns, in order (what live.jsonl holds). */
const FEATURES = [...SOURCE_COLUMNS.slice(1), ...DERIVED_COLUMNS];

const SPLITS = [
  { file: "train.csv", years: ["2012", "2013"] },
  { file: "eval.csv", years: ["2014"] },
  { file: "live.csv", years: ["2015"] },
];

/** @returns {Promise<string>} the path of seattle-weather.csv inside the installed vega-datasets package */
async function findSeattleWeatherCsv() {
  // The package exports only its JS entry, so resolve that and walk up to the package root.
  let dir = dirname(fileURLToPath(import.meta.resolve("vega-datasets")));
  for (;;) {
    const manifest = await readFile(join(dir, "package.json"), "utf8").catch(() => undefined);
    if (manifest !== undefined && JSON.parse(manifest).name === "vega-datasets") {
      return join(dir, "data", "seattle-weather.csv");
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("could not find the vega-datasets package root");
    dir = parent;
  }
}

/**
 * Rounds to 6 decimals and prints without trailing zeros (and never "-0").
 * @param {number} value
 */
function formatNumber(value) {
  const rounded = Number(value.toFixed(6));
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * Adds log(1 + precipitation), which tames its long tail, and the month's position on
 * the unit circle, so December and January are neighbours.
 * @param {Record<string, string>} row a source row
 * @returns {Record<string, string>}
 */
function deriveRow(row) {
  const month = Number(row.date.slice(5, 7));
  const angle = (2 * Math.PI * (month - 1)) / 12;
  /** @type {Record<string, string>} */
  const out = {};
  for (const column of SOURCE_COLUMNS) out[column] = row[column];
  out.precipitation_log1p = formatNumber(Math.log1p(Number(row.precipitation)));
  out.month_sin = formatNumber(Math.sin(angle));
  out.month_cos = formatNumber(Math.cos(angle));
  out[LABEL] = row[LABEL];
  return out;
}

/**
 * @param {Record<string, string>[]} rows
 * @returns {string} one JSON object of numeric features a line
 */
function toJsonLines(rows) {
  return rows
    .map((row) => JSON.stringify(Object.fromEntries(FEATURES.map((name) => [name, Number(row[name])]))))
    .map((line) => `${line}\n`)
    .join("");
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: "string" } }, strict: true });
  const scriptDir = dirname(fileURLToPath(import.meta.url));
  const outDir = values.out === undefined ? join(scriptDir, "..", "data") : resolve(values.out);

  const source = await findSeattleWeatherCsv();
  const rows = readCsv(await readFile(source, "utf8"), source).rows.map(deriveRow);
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const columns = [...SOURCE_COLUMNS, ...DERIVED_COLUMNS, LABEL];

  await mkdir(outDir, { recursive: true });
  for (const split of SPLITS) {
    const selected = rows.filter((row) => split.years.includes(row.date.slice(0, 4)));
    await writeFile(join(outDir, split.file), toCsv(columns, selected));
    console.log(`wrote ${join(outDir, split.file)} (${selected.length} rows)`);
    if (split.file === "live.csv") {
      await writeFile(join(outDir, "live.jsonl"), toJsonLines(selected));
      console.log(`wrote ${join(outDir, "live.jsonl")} (${selected.length} rows)`);
    }
  }
}

main().catch((error) => {
  console.error(`prepare-data: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
