// The gcloud calls an infra script made, as the stand-in recorded them, and ways to pick out what a test checks.

/** One recorded gcloud call: the command words (e.g. `pubsub topics create`), the positional and the flags. */
export interface Call {
  argv: string[];
  command: string;
  name: string | undefined;
  flags: Map<string, string | true>;
}

const verbs =
  /^(describe|list|create|update|delete|deploy|enable|get-iam-policy|add-iam-policy-binding|remove-iam-policy-binding|update-traffic|add)$/;
const readVerbs = new Set(['describe', 'list', 'get-iam-policy']);

export function parseCall(argv: string[]): Call {
  const words = argv.filter((a) => !a.startsWith('--'));
  let end = words.findIndex((w) => verbs.test(w)) + 1;
  if (words[end - 1] === 'create' && words[end] === 'pubsub') end += 1; // scheduler jobs create pubsub
  const flags = new Map<string, string | true>();
  for (const a of argv.filter((x) => x.startsWith('--'))) {
    const eq = a.indexOf('=');
    if (eq < 0) flags.set(a, true);
    else flags.set(a.slice(0, eq), a.slice(eq + 1));
  }
  return { argv, command: words.slice(0, end).join(' '), name: words[end], flags };
}

/** Whether a call can change anything (everything but describe, list and get-iam-policy). */
export const isChange = (c: Call) => !readVerbs.has(c.command.split(' ').at(-1) ?? '');

export interface Grant {
  on: string;
  role: string;
  member: string;
}

const iamKinds: Record<string, string> = {
  projects: 'project',
  'pubsub topics': 'topic',
  'pubsub subscriptions': 'subscription',
  secrets: 'secret',
  'iam service-accounts': 'service-account',
  'run services': 'run-service',
};

/** Every grant an `add-iam-policy-binding` call made, as `kind name`, role and member. */
export function grantsOf(calls: Call[]): Grant[] {
  return calls
    .filter((c) => c.command.endsWith(' add-iam-policy-binding'))
    .map((c) => ({
      on: `${iamKinds[c.command.replace(/ add-iam-policy-binding$/, '')] ?? c.command} ${c.name}`,
      role: String(c.flags.get('--role')),
      member: String(c.flags.get('--member')),
    }));
}

/** Splits a line printed by lib.sh's shell_quote back into words (plain words and '…' with '\'' escapes). */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unterminated quote in: ${line}`);
      word += line.slice(i + 1, close);
      i = close;
      inWord = true;
    } else if (ch === '\\') {
      word += line[i + 1] ?? '';
      i += 1;
      inWord = true;
    } else if (ch === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export const find = (calls: Call[], command: string, name?: string) =>
  calls.filter((c) => c.command === command && (name === undefined || c.name === name));

export const deployOf = (calls: Call[], fn: string) => {
  const deploys = find(calls, 'functions deploy', fn);
  if (deploys.length !== 1) throw new Error(`expected one deploy of ${fn}, got ${deploys.length}`);
  return deploys[0]!;
};

/**
 * A dictionary flag (`--set-env-vars`, `--set-secrets`) as gcloud reads it: KEY=VALUE items split at commas, or
 * at DELIM when the value starts with ^DELIM^ (`gcloud topic escaping`). Empty when the flag is absent.
 */
export function dictOf(c: Call, flag: string): Record<string, string> {
  const raw = c.flags.get(flag);
  if (raw === undefined || raw === true) return {};
  const escaped = /^\^([^^]+)\^(.*)$/s.exec(raw);
  const [delimiter, list] = escaped ? [escaped[1]!, escaped[2]!] : [',', raw];
  return Object.fromEntries(list.split(delimiter).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

export const envOf = (c: Call) => dictOf(c, '--set-env-vars');

/** The changing calls as `command name`, e.g. `functions deploy worker`. */
export const changedNames = (calls: Call[]) => calls.filter(isChange).map((c) => `${c.command} ${c.name}`);
