import { spawn } from 'node:child_process';

/**
 * Runs the operator command (`scripts/fitsync.ts`) as a user would, with the given environment. Asynchronous on
 * purpose: the stand-ins it talks to live in the calling process and must keep answering.
 */
export function runFitsyncCli(args: string[], env: Record<string, string>, input = ''): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', 'scripts/fitsync.ts', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`fitsync ${args[0]} exited ${code}: ${stderr}`))));
    child.stdin.end(input);
  });
}
