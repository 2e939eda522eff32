/**
 * Every form a secret could take in a log line: raw, URL-encoded, JSON-escaped, and base64 at each of the three
 * byte alignments (only the 4-character groups made of the secret's bytes alone; the first and last mix with
 * whatever surrounds the secret when it is encoded inside a larger value, as in a Basic authorization header).
 */
export function forbiddenForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift, 0x7b), Buffer.from(secret)]).toString('base64');
    const first = shift === 0 ? 0 : 4;
    const last = Math.floor((shift + Buffer.byteLength(secret)) / 3) * 4;
    const group = b64.slice(first, last);
    forms.add(group);
    forms.add(group.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((form) => form.length >= 8);
}

/** The lines of `output` holding any form of any of `secrets`, each with the name of the secret it holds. */
export function leakedLines(output: readonly string[], secrets: ReadonlyMap<string, string>): string[] {
  const leaks: string[] = [];
  for (const [name, secret] of secrets) {
    const forms = forbiddenForms(secret);
    for (const line of output) if (forms.some((form) => line.includes(form))) leaks.push(`${name}: ${line}`);
  }
  return leaks;
}
