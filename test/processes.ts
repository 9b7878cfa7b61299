// Runs the service as real child processes (`serve` or `worker`), the way an operator would,
// for the tests that kill and restart them.
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The node arguments of `npm start` or `npm run worker`, read from package.json so that
 * benchmarks run exactly what operators run (its V8 flags included), after its build step.
 */
export function serviceCommand(script: 'start' | 'worker'): string[] {
  const line = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[script]!;
  const [build, run] = line.split(' && exec node ');
  if (!build || !run) throw new Error(`package.json "${script}" is not "<build> && exec node <arguments>"`);
  execSync(build, { cwd: ROOT, stdio: 'inherit' });
  return run.split(' ');
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Every line the process wrote to stdout and stderr. */
  output: string[];
  /** Resolves once a log line contains `text` (or rejects when the process exits first). */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** SIGKILL: no shutdown, no flush, as a crash or an OOM kill would leave things. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

export function startService(command: 'serve' | 'worker', env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', command], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const listeners = new Set<() => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      output.push(...chunk.split('\n').filter(Boolean));
      for (const listener of listeners) listener();
    });
  }
  return {
    child,
    output,
    waitFor(text, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (output.some((line) => line.includes(text))) done(resolve);
        };
        const timer = setTimeout(() => done(() => reject(new Error(`"${text}" not logged within ${timeoutMs} ms; output:\n${output.join('\n').slice(-3000)}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        void exited.then(() => done(() => reject(new Error(`${command} exited before logging "${text}"; output:\n${output.join('\n').slice(-3000)}`))));
        listeners.add(check);
        check();
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A free loopback port (the service needs its port before it starts, for PUBLIC_URL). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
