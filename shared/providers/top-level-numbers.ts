/**
 * The exact source text of the numbers that are direct members of a JSON object text, by key: `{"id": 9007199254740993}`
 * → `id` → `"9007199254740993"`, which JSON.parse would round (Node 20's JSON.parse has no access to source text).
 * Members of nested objects and arrays are never read, so a value under the same key deeper in the body cannot stand
 * in for the top-level one. As in JSON.parse, the last of duplicate keys counts. Expects text JSON.parse accepted.
 */
export function topLevelNumberTexts(json: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  let expectKey = false;
  let key: string | undefined;
  for (let i = 0; i < json.length; ) {
    const c = json[i]!;
    if (c === '"') {
      const start = i++;
      while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
      i++;
      if (depth === 1 && expectKey) {
        key = JSON.parse(json.slice(start, i)) as string;
        expectKey = false;
      }
      continue;
    }
    if (c === ':' && depth === 1 && key !== undefined) {
      const number = /^\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(json.slice(i + 1, i + 1 + 400));
      if (number) out.set(key, number[1]!);
      else out.delete(key);
      key = undefined;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth === 1 && c === '{') expectKey = true;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
    }
    i++;
  }
  return out;
}
