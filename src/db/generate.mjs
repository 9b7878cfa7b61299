// `prisma generate` insists on a native schema engine it would download; generation never
// runs it, so any existing file satisfies the check and keeps installs offline-safe.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}`, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', '--schema', 'prisma/schema.prisma'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
