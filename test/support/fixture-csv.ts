import { readFileSync } from 'node:fs';

/** A CSV under test/fixtures/ as rows of fields (header dropped); quoted fields may hold commas and doubled quotes. */
export function fixtureCsv(path: string): string[][] {
  const text = readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8').trim();
  return text.split(/\r?\n/).slice(1).map(csvFields);
}

function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      out.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  out.push(field);
  return out;
}
