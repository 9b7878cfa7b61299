// Summarises a V8 CPU profile (`node --cpu-prof`): self time by function and by package or
// source folder, so that a benchmark's hot spots can be read without a browser.
// Usage: node --import tsx test/bench/cpu-profile.ts <file.cpuprofile> [rows]
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame lives: an npm package, a folder of ours, or the runtime. */
function placeOf(url: string): string {
  if (!url) return '(runtime)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url;
  const ours = /\/(src|plugins|test)\/(.*)\/[^/]+$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('Usage: node --import tsx test/bench/cpu-profile.ts <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const tally = (keyOf: (node: ProfileNode) => string) => {
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const key = keyOf(byId.get(id)!);
    sums.set(key, (sums.get(key) ?? 0) + us);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, rows);
};
const print = (title: string, entries: Array<[string, number]>) => {
  console.log(`\n${title}`);
  for (const [key, us] of entries) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
};
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
print('Self time by place', tally((node) => placeOf(node.callFrame.url)));
print('Self time by function', tally(({ callFrame }) => `${callFrame.functionName || '(anonymous)'}  ${placeOf(callFrame.url)}:${callFrame.lineNumber + 1}`));
