// Compiles src/ and plugins/ to dist/ (the same folders, one .js file per .ts file), so that
// the service runs on plain node: a TypeScript loader at run time cost about 100 MB of memory
// and seconds of start-up. esbuild transpiles each file as the loader did; types are checked
// by `npm run typecheck`, not here. Runs at `npm install` and before every `npm start`, where
// it does nothing unless a source changed since the last build.
//
// `node src/build.mjs` builds when stale; `--force` always.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist');
const MANIFEST = '.sources.json';
// Tests and the plugin scaffold's templates (placeholders, not code) are not part of the service.
const isSource = (path) => path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.includes('scaffold-template/');

function sources() {
  const found = {};
  for (const dir of ['src', 'plugins']) {
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      const path = join(dir, entry);
      if (!isSource(path)) continue;
      const stat = statSync(join(ROOT, path));
      found[path] = `${stat.size}:${stat.mtimeMs}`;
    }
  }
  return found;
}

function isFresh(current) {
  const file = join(OUT, MANIFEST);
  if (!existsSync(file)) return false;
  const built = JSON.parse(readFileSync(file, 'utf8'));
  const paths = Object.keys(current);
  return paths.length === Object.keys(built).length && paths.every((path) => built[path] === current[path]);
}

// Every import stays an import, of the compiled sibling: no bundling, the folder layout (which
// the plugin registry reads) is kept.
const eachFileOnItsOwn = {
  name: 'each-file-on-its-own',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'entry-point' ? undefined : { path: args.path.replace(/\.ts$/, '.js'), external: true }));
  },
};

const current = sources();
if (process.argv.includes('--force') || !isFresh(current)) {
  const started = performance.now();
  // Built beside and swapped in whole, so that a process starting meanwhile sees one build or the other.
  const staging = `${OUT}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: Object.keys(current),
    outdir: staging,
    outbase: '.',
    bundle: true,
    plugins: [eachFileOnItsOwn],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  writeFileSync(join(staging, MANIFEST), JSON.stringify(current));
  const previous = `${OUT}.${process.pid}.old`;
  if (existsSync(OUT)) renameSync(OUT, previous);
  mkdirSync(dirname(OUT), { recursive: true });
  renameSync(staging, OUT);
  rmSync(previous, { recursive: true, force: true });
  process.stderr.write(`built ${relative(process.cwd(), OUT) || '.'}/ from ${Object.keys(current).length} files in ${Math.round(performance.now() - started)} ms\n`);
}
