// A strict reader for the small block-YAML subset cloudbuild.yaml is written in: mappings, sequences (of
// scalars or mappings), `[a, b]` flow sequences of scalars, plain and quoted scalars, comments. Anything
// else (anchors, aliases, tags, block scalars, flow mappings, tabs, duplicate keys) is an error rather than a
// guess, so the test never reads the file differently from Cloud Build without saying so. Scalars stay
// strings: the checks compare text.

export type Yaml = string | Yaml[] | { [key: string]: Yaml };

interface Line {
  no: number;
  indent: number;
  text: string;
}

class YamlSubsetError extends Error {
  constructor(line: Line | undefined, message: string) {
    super(`cloudbuild YAML line ${line?.no ?? 'end'}: ${message}`);
  }
}

function stripComment(raw: string): string {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || raw[i - 1] === ' ')) {
      return raw.slice(0, i);
    }
  }
  return raw;
}

function toLines(text: string): Line[] {
  const lines: Line[] = [];
  text.split('\n').forEach((raw, i) => {
    const body = stripComment(raw).trimEnd();
    if (!body.trim()) return;
    const line = { no: i + 1, indent: body.length - body.trimStart().length, text: body.trimStart() };
    if (/^\t|^ *\t/.test(body)) throw new YamlSubsetError(line, 'tab in indentation');
    if (line.text === '---' || line.text === '...') throw new YamlSubsetError(line, 'document markers are not supported');
    lines.push(line);
  });
  return lines;
}

function scalar(text: string, line: Line): Yaml {
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) throw new YamlSubsetError(line, 'unterminated double quote');
    return JSON.parse(text) as string;
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new YamlSubsetError(line, 'unterminated single quote');
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new YamlSubsetError(line, 'flow sequences must close on their line');
    const inner = text.slice(1, -1).trim();
    return inner ? inner.split(',').map((item) => scalar(item.trim(), line)) : [];
  }
  if (/^[&*!|>{%@`]/.test(text)) throw new YamlSubsetError(line, `unsupported YAML construct: ${text}`);
  return text;
}

const keyPattern = /^([A-Za-z_][\w.-]*):(?: (.*))?$/;

class Reader {
  private i = 0;
  constructor(private readonly lines: Line[]) {}

  document(): Yaml {
    const first = this.lines[0];
    if (!first) throw new YamlSubsetError(undefined, 'empty document');
    if (first.indent !== 0) throw new YamlSubsetError(first, 'the document must start at column 0');
    const value = this.node(0);
    if (this.i < this.lines.length) throw new YamlSubsetError(this.lines[this.i], 'unexpected indentation');
    return value;
  }

  private node(indent: number): Yaml {
    const line = this.lines[this.i];
    if (!line || line.indent !== indent) throw new YamlSubsetError(line, `expected content at indent ${indent}`);
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent);
    if (keyPattern.test(line.text)) return this.mapping(indent);
    throw new YamlSubsetError(line, 'expected "key: value" or "- item"');
  }

  private mapping(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    for (let line = this.lines[this.i]; line && line.indent === indent; line = this.lines[this.i]) {
      const m = keyPattern.exec(line.text);
      if (!m) break;
      const key = m[1]!;
      if (Object.hasOwn(out, key)) throw new YamlSubsetError(line, `duplicate key ${key}`);
      this.i += 1;
      const rest = m[2]?.trim();
      if (rest) {
        out[key] = scalar(rest, line);
        continue;
      }
      const next = this.lines[this.i];
      if (next && next.indent > indent) out[key] = this.node(next.indent);
      else if (next && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) out[key] = this.sequence(indent);
      else throw new YamlSubsetError(line, `${key} has no value (write "" for an empty string)`);
    }
    return out;
  }

  private sequence(indent: number): Yaml[] {
    const out: Yaml[] = [];
    for (let line = this.lines[this.i]; line && line.indent === indent; line = this.lines[this.i]) {
      if (!(line.text === '-' || line.text.startsWith('- '))) break;
      const rest = line.text.slice(1).trimStart();
      if (!rest) {
        this.i += 1;
        const next = this.lines[this.i];
        if (!next || next.indent <= indent) throw new YamlSubsetError(line, 'empty sequence item');
        out.push(this.node(next.indent));
      } else if (keyPattern.test(rest)) {
        // "- key: value" opens a mapping whose keys line up with this first one.
        const column = indent + (line.text.length - rest.length);
        this.lines[this.i] = { no: line.no, indent: column, text: rest };
        out.push(this.mapping(column));
      } else {
        this.i += 1;
        out.push(scalar(rest, line));
      }
    }
    return out;
  }
}

export function parseYaml(text: string): Yaml {
  return new Reader(toLines(text)).document();
}
