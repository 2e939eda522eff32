// cloudbuild.yaml: step order, each check and the build run once, deploy only after the tests, pinned builder
// images, substitutions, and a deploy that goes through infra/deploy.sh with the definitions in
// infra/functions.env.sh.

import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import test from 'ava';
import { backfillTriggerSubscription, project, projectArgs } from './demo-project.ts';
import { defaultSecrets, deployFromBlank, functionDeploys, functions } from './deploy-runs.ts';
import { changedNames, isChange, parseCall, splitShellWords } from './gcloud-calls.ts';
import { parseYaml, type Yaml } from './mini-yaml.ts';
import { allowScriptRuns, infra, pathWithoutGcloud, removeTempDirs, repoRoot, runBash } from './stand-in.ts';

test.after.always(removeTempDirs);

interface Step {
  id: string;
  name: string;
  entrypoint?: string;
  args: string[];
  env: string[];
  waitFor?: string[];
}

const isMap = (v: Yaml | undefined): v is { [key: string]: Yaml } => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: Yaml | undefined): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

async function loadPipeline() {
  const doc = parseYaml(await readFile(join(repoRoot, 'cloudbuild.yaml'), 'utf8'));
  if (!isMap(doc) || !Array.isArray(doc.steps)) throw new Error('cloudbuild.yaml has no steps');
  const steps: Step[] = doc.steps.map((s) => {
    if (!isMap(s)) throw new Error('a step is not a mapping');
    return {
      id: String(s.id),
      name: String(s.name),
      ...(s.entrypoint !== undefined ? { entrypoint: String(s.entrypoint) } : {}),
      args: strings(s.args),
      env: strings(s.env),
      ...(s.waitFor !== undefined ? { waitFor: strings(s.waitFor) } : {}),
    };
  });
  const substitutions = isMap(doc.substitutions) ? (doc.substitutions as Record<string, string>) : {};
  return { doc, steps, substitutions };
}

/** What a step waits for, directly or not. Without waitFor a step waits for every step before it. */
function dependencies(steps: Step[], id: string): Set<string> {
  const index = steps.findIndex((s) => s.id === id);
  const step = steps[index]!;
  const direct = step.waitFor ?? steps.slice(0, index).map((s) => s.id);
  const all = new Set<string>();
  for (const dep of direct.filter((d) => d !== '-')) {
    all.add(dep);
    for (const d of dependencies(steps, dep)) all.add(d);
  }
  return all;
}

/** Values from infra/functions.env.sh as a deploy reads them (every function, connect included), read by bash itself. */
async function definitions(...names: string[]): Promise<Record<string, string>> {
  const script = `source infra/functions.env.sh; fitsync_enable_connect; for v in ${names.join(' ')}; do printf '%s=%s\\n' "$v" "\${!v}"; done`;
  const r = await runBash(['-c', script], { PATH: await pathWithoutGcloud() });
  if (r.status !== 0) throw new Error(r.stderr);
  return Object.fromEntries(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

const commandOf = (s: Step) => [s.entrypoint ?? '', ...s.args].join(' ').trim();

test('the YAML reader is strict about what it does not understand', (t) => {
  t.deepEqual(parseYaml("a: 1 # note\nb:\n  - x\n  - y: \"q # not a comment\"\n    z: [p, q]\nc: 'it''s'\n"), {
    a: '1',
    b: ['x', { y: 'q # not a comment', z: ['p', 'q'] }],
    c: "it's",
  });
  t.throws(() => parseYaml('a: &anchor 1\n'), { message: /unsupported YAML construct/ });
  t.throws(() => parseYaml('a: |\n  text\n'), { message: /unsupported YAML construct/ });
  t.throws(() => parseYaml('a: 1\na: 2\n'), { message: /duplicate key/ });
});

test('steps: npm ci, then lint, the type check, ShellCheck and the bundles, then the tests, then deploy', async (t) => {
  const { steps } = await loadPipeline();
  t.deepEqual(
    steps.map((s) => s.id),
    ['install', 'lint', 'typecheck', 'shellcheck', 'build', 'test', 'deploy'],
  );
  t.deepEqual(steps.slice(0, 6).map(commandOf), [
    'npm ci',
    'npm run lint',
    'npm run typecheck',
    'bash -c bash scripts/setup-shellcheck.sh && npm run shellcheck',
    'npm run build',
    'npm run test:only',
  ]);
  t.deepEqual(new Set(steps.map((s) => s.id)).size, steps.length, 'step ids are unique');
});

test('the tests run the bundles that deploy, and deploy waits for everything', async (t) => {
  const { steps } = await loadPipeline();
  const deploy = steps.find((s) => s.id === 'deploy')!;
  t.truthy(deploy.waitFor, 'deploy states what it waits for');
  for (const dep of ['install', 'lint', 'typecheck', 'shellcheck', 'build', 'test']) t.true(dependencies(steps, 'deploy').has(dep), dep);
  for (const dep of ['lint', 'typecheck', 'shellcheck', 'build']) t.true(dependencies(steps, 'test').has(dep), `the tests wait for ${dep}`);
  t.false(dependencies(steps, 'build').has('test'), 'the bundles are built once, before the tests that run them');
  for (const s of steps) t.false(s.waitFor?.includes('-') ?? false, `${s.id} does not start before the others`);
});

/** What a pipeline step or a command does, of what matters here. */
type Phase = 'install' | 'lint' | 'typecheck' | 'shellcheck' | 'build' | 'tests';

/**
 * Stand-ins for the tools scripts/test.sh and scripts/shellcheck.sh call (npx, npm, node, shellcheck): each records
 * its command line and succeeds, and the test runner's stand-in prints the summary line a green run ends with.
 */
async function toolStandIns() {
  const dir = await mkdtemp(join(tmpdir(), 'fitsync-tools-'));
  const calls = join(dir, 'calls');
  const record = (extra = '') => `#!/usr/bin/env bash\nprintf '%s\\n' "$(basename "$0") $*" >> "$TOOL_CALLS"\n${extra}`;
  for (const tool of ['npx', 'npm', 'shellcheck']) await writeFile(join(dir, tool), record());
  await writeFile(join(dir, 'node'), record('[[ $* == *scripts/ava-run.ts* ]] && echo "1 passed, 0 failed"\nexit 0\n'));
  for (const tool of ['npx', 'npm', 'shellcheck', 'node']) await chmod(join(dir, tool), 0o755);
  await writeFile(calls, '');
  return {
    env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`, TOOL_CALLS: calls },
    calls: async () => (await readFile(calls, 'utf8')).split('\n').filter(Boolean),
    reset: () => writeFile(calls, ''),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The phases a command runs: npm scripts are read from package.json, and the repository's own shell scripts are run
 * with the stand-in tools to see what they call. A command this does not know is an error, so a new step or script
 * is classified here on purpose rather than passing unseen.
 */
async function phasesOf(command: string, tools: Awaited<ReturnType<typeof toolStandIns>>): Promise<Phase[]> {
  const scripts = (JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = splitShellWords(command).filter((w) => w !== '--silent');
  const [tool, first, second] = words;
  if (command.includes('&&')) return (await Promise.all(command.split('&&').map((c) => phasesOf(c.trim(), tools)))).flat();
  if (tool === 'npm' && first === 'ci') return ['install'];
  if (tool === 'npm' && first === 'test') return phasesOf(scripts.test!, tools);
  if (tool === 'npm' && first === 'run' && second && scripts[second]) return phasesOf(scripts[second]!, tools);
  if (tool === 'npx') return phasesOf(words.slice(1).join(' '), tools);
  if (tool === 'biome' && first === 'check' && !words.includes('--write')) return ['lint'];
  if (tool === 'tsc') return ['typecheck'];
  if (tool === 'tsx' && first === 'scripts/build.ts') return ['build'];
  if (tool === 'shellcheck') return ['shellcheck'];
  if (tool === 'node' && words.includes('scripts/ava-run.ts')) return ['tests'];
  if (tool === 'bash' && first && /^scripts\/setup-[a-z]+\.sh$/.test(first)) return []; // installs a tool, checks nothing
  if (tool === 'bash' && first?.startsWith('scripts/')) {
    await tools.reset();
    const r = await runBash(words.slice(1), tools.env);
    if (r.status !== 0) throw new Error(`${command} failed with the stand-in tools:\n${r.stdout}\n${r.stderr}`);
    const called = await tools.calls();
    const phases: Phase[] = [];
    for (const call of called) phases.push(...(await phasesOf(call, tools)));
    return phases;
  }
  throw new Error(`a command this test does not know: ${command}`);
}

const stepCommand = (s: Step) => (s.entrypoint === 'bash' && s.args[0] === '-c' ? s.args[1]! : commandOf(s));

test.serial('the pipeline installs, lints, type-checks, runs ShellCheck, builds and tests exactly once each', async (t) => {
  allowScriptRuns(t, 2);
  const tools = await toolStandIns();
  try {
    const { steps } = await loadPipeline();
    const phases: Phase[] = [];
    for (const s of steps.filter((x) => x.id !== 'deploy')) phases.push(...(await phasesOf(stepCommand(s), tools)));
    t.deepEqual([...phases].sort(), ['build', 'install', 'lint', 'shellcheck', 'tests', 'typecheck']);
  } finally {
    await tools.remove();
  }
});

test.serial('npm test alone does each once too, in order, and test:only runs the tests alone', async (t) => {
  allowScriptRuns(t, 3);
  const tools = await toolStandIns();
  try {
    t.deepEqual(await phasesOf('npm test', tools), ['lint', 'typecheck', 'shellcheck', 'build', 'tests']);
    t.deepEqual(await phasesOf('npm run test:only', tools), ['tests']);
    // Arguments after --tests-only still reach ava.
    await phasesOf('bash scripts/test.sh --tests-only test/infra/', tools);
    t.true((await tools.calls()).some((c) => c.startsWith('node ') && c.endsWith('scripts/ava-run.ts test/infra/')));
  } finally {
    await tools.remove();
  }
});

test.serial('builder images are pinned to exact versions, and Node matches the functions runtime', async (t) => {
  allowScriptRuns(t, 1);
  const { steps } = await loadPipeline();
  const { FITSYNC_RUNTIME } = await definitions('FITSYNC_RUNTIME');
  for (const s of steps) {
    const digest = /@sha256:[0-9a-f]{64}$/.test(s.name);
    const tag = s.name.slice(s.name.lastIndexOf(':') + 1);
    t.true(digest || (s.name.includes(':') && /^\d+\.\d+\.\d+(-[a-z]+)?$/.test(tag)), `${s.id}: ${s.name} is not pinned`);
    t.false(/latest|:stable$|:lts|:current/.test(s.name), `${s.id}: ${s.name} floats`);
  }
  const nodeMajor = FITSYNC_RUNTIME!.replace('nodejs', '');
  const nodeSteps = steps.filter((x) => x.id !== 'deploy');
  t.true(nodeSteps.length >= 5);
  for (const s of nodeSteps) t.regex(s.name, new RegExp(`^node:${nodeMajor}\\.`), s.id);
});

test.serial('the only deploy is infra/deploy.sh --functions-only with the build project and the substitutions', async (t) => {
  allowScriptRuns(t, 1);
  const { steps, substitutions, doc } = await loadPipeline();
  const deploy = steps.find((s) => s.id === 'deploy')!;
  t.is(deploy.entrypoint, 'bash');
  t.deepEqual(deploy.args, ['infra/deploy.sh', '--functions-only', '--skip-build', '--project=$PROJECT_ID', '--region=$_REGION']);
  t.regex(deploy.name, /^gcr\.io\/google\.com\/cloudsdktool\/google-cloud-cli:/);
  for (const s of steps.filter((x) => x.id !== 'deploy')) {
    t.notRegex(commandOf(s), /gcloud|deploy/, `${s.id} deploys nothing`);
  }

  t.truthy(substitutions._REGION, '_REGION has a default');
  // One substitution per function in functions.env.sh, defaulting to its name there, passed on to deploy.sh.
  const { FITSYNC_FUNCTION_IDS } = await definitions('FITSYNC_FUNCTION_IDS');
  const ids = FITSYNC_FUNCTION_IDS!.split(' ').map((id) => id.toUpperCase());
  t.deepEqual(ids.sort(), ['BACKFILL', 'CONNECT', 'WEBHOOK', 'WORKER']);
  const names = await definitions(...ids.map((id) => `FN_${id}_NAME`));
  for (const id of ids) t.is(substitutions[`_${id}_FUNCTION`], names[`FN_${id}_NAME`], id);
  t.deepEqual([...deploy.env].sort(), ids.map((id) => `FITSYNC_${id}_FUNCTION=$_${id}_FUNCTION`).sort());

  const text = JSON.stringify(doc);
  const used = new Set([...text.matchAll(/\$\{?(_[A-Z0-9_]+)/g)].map((m) => m[1]!));
  t.deepEqual([...used].sort(), Object.keys(substitutions).sort(), 'every substitution is defined and used');
  t.is(isMap(doc.options) ? doc.options.logging : undefined, 'CLOUD_LOGGING_ONLY');
});

/** Runs the deploy step's command as Cloud Build would, after substitution, in dry-run mode. */
async function dryRunDeployStep(overrides: Record<string, string> = {}) {
  const { steps, substitutions } = await loadPipeline();
  const deploy = steps.find((s) => s.id === 'deploy')!;
  const values: Record<string, string> = { PROJECT_ID: project, ...substitutions, ...overrides };
  const substitute = (s: string) => s.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_, k: string) => values[k] ?? '');
  const env = Object.fromEntries(deploy.env.map((e) => substitute(e).split('=', 2) as [string, string]));
  const r = await runBash([...deploy.args.map(substitute), '--dry-run'], { PATH: await pathWithoutGcloud(), ...env });
  if (r.status !== 0) throw new Error(r.stderr);
  return { r, values };
}

const printedDeploys = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('gcloud functions deploy '))
    .map((l) => splitShellWords(l).slice(1));

test.serial("the pipeline deploys the same function definitions as the operator's deploy", async (t) => {
  allowScriptRuns(t, 1);
  const { r: pipeline, values } = await dryRunDeployStep();
  const operator = await runBash([infra('deploy.sh'), '--project', project, '--region', values._REGION!, '--skip-build', '--dry-run'], {
    PATH: await pathWithoutGcloud(),
  });
  t.is(operator.status, 0, operator.stderr);

  const fromPipeline = printedDeploys(pipeline.stdout);
  const fromOperator = printedDeploys(operator.stdout).map((argv) => argv.filter((a) => a !== '--allow-unauthenticated'));
  t.is(fromPipeline.length, 4);
  t.deepEqual(fromPipeline, fromOperator, 'only making webhook and connect public (an IAM change) is left to the operator');
  t.deepEqual(
    fromPipeline.map((argv) => parseCall(argv).name),
    functions,
  );
  t.false(
    pipeline.stdout.split('\n').some((l) => l.startsWith('npm ')),
    'the bundles come from the build step',
  );
  t.deepEqual(
    pipeline.stdout
      .split('\n')
      .filter((l) => l.startsWith('gcloud '))
      .map((l) => parseCall(splitShellWords(l).slice(1)))
      .filter(isChange)
      .map((c) => c.command),
    ['functions deploy', 'functions deploy', 'functions deploy', 'functions deploy'],
    'the pipeline creates nothing and grants nothing',
  );
});

test.serial('the function-name substitutions reach the deployed names', async (t) => {
  allowScriptRuns(t, 1);
  const { r } = await dryRunDeployStep({
    _WEBHOOK_FUNCTION: 'fitsync-webhook-eu',
    _WORKER_FUNCTION: 'fitsync-worker-eu',
    _BACKFILL_FUNCTION: 'fitsync-backfill-eu',
    _CONNECT_FUNCTION: 'fitsync-connect-eu',
  });
  t.deepEqual(
    printedDeploys(r.stdout).map((argv) => argv[2]),
    ['fitsync-worker-eu', 'fitsync-backfill-eu', 'fitsync-webhook-eu', 'fitsync-connect-eu'],
  );
});

test.serial('the deploy step works against a project the operator deployed', async (t) => {
  allowScriptRuns(t, 3);
  // End to end with the stand-in gcloud: operator deploy, then the pipeline's exact command.
  const { first, second, deployed: s } = await deployFromBlank(projectArgs, defaultSecrets);
  t.is(first.status, 2);
  t.is(second.status, 0);
  await s.clearCalls();

  const { steps, substitutions } = await loadPipeline();
  const args = steps
    .find((x) => x.id === 'deploy')!
    .args.map((a) => a.replace('$PROJECT_ID', project).replace('$_REGION', substitutions._REGION!));
  const r = await runBash([...args, '--dist', s.dist], s.env);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(changedNames(await s.calls()), functionDeploys);
  t.regex(r.stdout, new RegExp(`checked dead-letter and retry policy on ${backfillTriggerSubscription}`));
});
