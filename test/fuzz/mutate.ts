import type { SeededRandom } from '../support/seeded-random.ts';

/**
 * Mutants of a real body: fields dropped, duplicated (the same key twice, as JSON allows and JSON.parse resolves to
 * the last), retyped, swapped, replaced with extreme numbers, long or hostile strings, time-like strings, deep
 * nesting; then, now and then, the text itself cut or damaged. JSON bodies are mutated as trees and written by a
 * serializer that can also emit what JSON.stringify cannot (duplicate keys, `1e999`, 2^53 + 1 exactly).
 */

/** A number token written as it is: `1e999` (Infinity after parsing), `-0`, `9007199254740993`. */
class RawNumber {
  constructor(readonly text: string) {}
}
/** Members an object repeats after its own keys. */
const DUPLICATES = Symbol('duplicate members');

type Value = null | boolean | number | string | RawNumber | Value[] | Obj;
interface Obj {
  [key: string]: Value;
  [DUPLICATES]?: Array<[string, Value]>;
}

const isObj = (v: Value): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawNumber);

const extremeNumbers = [
  '0',
  '-1',
  '-0',
  '1',
  '0.5',
  '1e308',
  '-1e308',
  '1e999',
  '-1e999',
  '1e-320',
  '9007199254740993',
  '9223372036854775807',
  '99999999999999',
  '9000000000000',
  '9000000000000000',
  '4102444800',
  '946684799',
  '1795156200',
  '1795156200000',
  '86400',
  '604801',
  '2147483648',
  '4294967296',
  '100000000000000000000000000000',
];
const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  '\ud800',
  '\udfff\ud800',
  '🏃‍♀️🚴🏊',
  '\u202eevil',
  'team/kaisa',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection string, meant literally
  '${jndi:ldap://x}',
  'NaN',
  'Infinity',
  '-1',
  '1e999',
  'null',
  'true',
  '{}',
  '[]',
  'Z',
  '+25:00',
  '-00:00',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'RUNNING',
  'trail-run',
  'WATERSPORTS_WATERSKI',
  '13:1',
];
const timeStrings = [
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2026-02-31T07:30:00',
  '2026-11-20T25:61:00+01:00',
  '2026-11-20T07:30:00+25:00',
  '2026-11-20T07:30:00-00:00',
  '2026-11-20T07:30:00',
  '+275760-09-13T00:00:00.000Z',
  '2026-11-20',
  'yesterday',
  'PT2H',
  'PT999999999H',
  'P',
  '2100-01-01T00:00:00Z',
  '1999-12-31T23:59:59Z',
];

function randomScalar(r: SeededRandom): Value {
  switch (r.below(7)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return new RawNumber(r.pick(extremeNumbers));
    case 3:
      return r.pick(hostileStrings);
    case 4:
      return r.pick(timeStrings);
    case 5:
      return {};
    default:
      return [];
  }
}

function longString(r: SeededRandom): string {
  const unit = r.pick(['x', 'ä', '🏃', 'a\u0000', '\\', '"']);
  return unit.repeat(1 + r.below(r.chance(0.8) ? 300 : 40_000));
}

/** Deep nesting; the serializer here recurses, so a mutant stays within a few hundred levels. */
function nested(r: SeededRandom, inner: Value): Value {
  let v = inner;
  for (let depth = 1 + r.below(r.chance(0.9) ? 20 : 400); depth > 0; depth--) v = r.chance(0.5) ? [v] : { a: v };
  return v;
}

/** Every place in the tree a mutation can touch: (container, key). */
function places(root: Value): Array<[Obj | Value[], string | number]> {
  const out: Array<[Obj | Value[], string | number]> = [];
  const stack: Value[] = [root];
  while (stack.length && out.length < 5000) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      v.forEach((child, i) => {
        out.push([v, i]);
        stack.push(child);
      });
    } else if (isObj(v)) {
      for (const k of Object.keys(v)) {
        out.push([v, k]);
        stack.push(v[k]!);
      }
    }
  }
  return out;
}

function mutateTree(r: SeededRandom, root: Value): Value {
  const all = places(root);
  if (!all.length) return randomScalar(r);
  const [container, key] = r.pick(all);
  const get = () => (container as Record<string | number, Value>)[key]!;
  const set = (v: Value) => ((container as Record<string | number, Value>)[key] = v);
  switch (r.below(10)) {
    case 0: // drop
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
      break;
    case 1: // duplicate: an array element twice, or an object key twice with another value
      if (Array.isArray(container)) container.splice(key as number, 0, structuredCopy(get()));
      else {
        container[DUPLICATES] ??= [];
        container[DUPLICATES].push([key as string, r.chance(0.5) ? randomScalar(r) : structuredCopy(get())]);
      }
      break;
    case 2: // retype
      set(randomScalar(r));
      break;
    case 3: // extreme number
      set(new RawNumber(r.pick(extremeNumbers)));
      break;
    case 4: // long string
      set(longString(r));
      break;
    case 5: // hostile or unicode string
      set(r.pick(hostileStrings));
      break;
    case 6: // time-like string
      set(r.pick(timeStrings));
      break;
    case 7: // nesting
      set(nested(r, get()));
      break;
    case 8: {
      // another field's value
      const [other, otherKey] = r.pick(all);
      set(structuredCopy((other as Record<string | number, Value>)[otherKey]!));
      break;
    }
    default: // an unknown field next to the known ones
      if (isObj(container)) container[`x_${r.below(1000)}`] = randomScalar(r);
      else container.push(randomScalar(r));
  }
  return root;
}

function structuredCopy(v: Value): Value {
  if (v instanceof RawNumber || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(structuredCopy);
  const copy: Obj = {};
  for (const k of Object.keys(v)) copy[k] = structuredCopy(v[k]!);
  if (v[DUPLICATES]) copy[DUPLICATES] = v[DUPLICATES].map(([k, d]) => [k, structuredCopy(d)]);
  return copy;
}

function toJsonText(v: Value): string {
  if (v instanceof RawNumber) return v.text;
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  const members: Array<[string, Value]> = [...Object.keys(v).map((k): [string, Value] => [k, v[k]!]), ...(v[DUPLICATES] ?? [])];
  return `{${members.map(([k, m]) => `${JSON.stringify(k)}:${toJsonText(m)}`).join(',')}}`;
}

/** Damage to the text itself: cut short, a byte changed, padding, a BOM, another document entirely. */
function mutateText(r: SeededRandom, text: string): string {
  switch (r.below(5)) {
    case 0:
      return text.slice(0, r.below(text.length + 1));
    case 1: {
      const i = r.below(text.length + 1);
      return text.slice(0, i) + r.pick(['"', '{', ']', ',', '\\', '\u0000', 'é', ' ']) + text.slice(i + 1);
    }
    case 2:
      return `\ufeff${text}`;
    case 3:
      return `  \n${text}\n  `;
    default:
      return r.pick(['null', '[]', '"text"', '12', '', '{}', '[{}]', 'userid=1&appli=16']);
  }
}

function mutateForm(r: SeededRandom, text: string): string {
  const pairs = [...new URLSearchParams(text)];
  for (let n = 1 + r.below(3); n > 0; n--) {
    const i = r.below(Math.max(pairs.length, 1));
    switch (r.below(6)) {
      case 0:
        pairs.splice(i, 1);
        break;
      case 1:
        if (pairs[i]) pairs.push([pairs[i]![0], r.pick(extremeNumbers)]);
        break;
      case 2:
        if (pairs[i]) pairs[i]![1] = r.pick(extremeNumbers);
        break;
      case 3:
        if (pairs[i]) pairs[i]![1] = r.pick([...hostileStrings, longString(r)]);
        break;
      case 4:
        if (pairs[i]) pairs[i]![1] = r.pick(timeStrings);
        break;
      default:
        pairs.push([
          r.pick(['action', 'date', 'startdate', 'enddate', 'appli', 'userid', `x${r.below(100)}`]),
          r.pick([...extremeNumbers, ...hostileStrings]),
        ]);
    }
  }
  const out = new URLSearchParams(pairs).toString();
  return r.chance(0.15) ? mutateText(r, out) : r.chance(0.05) ? out.replace(/%[0-9A-F]{2}/, '%zz') : out;
}

/** One mutant of a real body: one to three changes to its structure, now and then damage to its text. */
export function mutateBody(r: SeededRandom, body: Buffer, form = false): Buffer {
  const text = body.toString('utf8');
  if (form) return Buffer.from(mutateForm(r, text));
  let tree: Value;
  try {
    tree = JSON.parse(text) as Value;
  } catch {
    return Buffer.from(mutateText(r, text));
  }
  for (let n = 1 + r.below(3); n > 0; n--) tree = mutateTree(r, tree);
  const out = toJsonText(tree);
  return Buffer.from(r.chance(0.15) ? mutateText(r, out) : out);
}
