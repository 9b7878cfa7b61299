// `npm run plugin:fake -- <id>`: runs plugins/<id>/fake-server.ts's `localFake` on 127.0.0.1
// beside the service and prints the configureChannel config that points the plugin at it;
// each request the fake answers is printed as it comes. Ctrl-C (SIGINT) or SIGTERM stops it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PLUGIN_ID_PATTERN, type LocalFake, type RunningFake } from './contract.ts';
import { PLUGINS_DIR } from './scaffold.ts';

/** A refusal to run: the message says why. */
export class FakeRunnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FakeRunnerError';
  }
}

/** Starts the fake of plugins/<id>/ and returns it with the config that points the plugin at it. */
export async function startLocalFake(id: string, onRequest: (line: string) => void, pluginsDir = PLUGINS_DIR): Promise<{ fake: RunningFake; config: unknown }> {
  if (!PLUGIN_ID_PATTERN.test(id)) throw new FakeRunnerError(`"${id}" is not a plugin id (lower-case letters, digits and dashes, e.g. sms-46elks)`);
  const file = join(pluginsDir, id, 'fake-server.ts');
  if (!existsSync(file)) throw new FakeRunnerError(`plugins/${id}/fake-server.ts does not exist`);
  const { localFake } = (await import(pathToFileURL(file).href)) as { localFake?: LocalFake<unknown> };
  if (!localFake) throw new FakeRunnerError(`plugins/${id}/fake-server.ts exports no \`localFake\` (see plugins/README.md, "Try a new plugin against the running service")`);
  const fake = await localFake.start({ onRequest });
  return { fake, config: localFake.config(fake) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const id = process.argv[2] ?? '';
  try {
    const { fake, config } = await startLocalFake(id, (line) => console.log(`${id} fake: ${line}`));
    console.log(`${id} fake listening on ${fake.baseUrl} (Ctrl-C stops it)`);
    console.log('configureChannel config:');
    console.log(JSON.stringify(config));
    console.log('configureChannel input:');
    console.log(JSON.stringify({ tenantId: '<tenant id>', pluginId: id, config }));
    const stop = () => void fake.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (err) {
    if (!(err instanceof FakeRunnerError)) throw err;
    console.error(`plugin:fake: ${err.message}`);
    process.exitCode = 1;
  }
}
