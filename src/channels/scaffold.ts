// `npm run plugin:new -- <id>`: writes plugins/<id>/ from ./scaffold-template/, a message
// plugin speaking a small made-up provider API, with its fake server, its PROVIDER.md and its
// test running the conformance suite. The folder passes its tests and the typecheck as
// written, and the registry installs it as it is (src/channels/registry.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLUGIN_ID_PATTERN, type MessageChannelKind, type RecipientField } from './contract.ts';

const TEMPLATE_DIR = fileURLToPath(new URL('./scaffold-template/', import.meta.url));
export const PLUGINS_DIR = fileURLToPath(new URL('../../plugins/', import.meta.url));

interface ChannelTemplate {
  channel: MessageChannelKind;
  recipientField: RecipientField;
  requireAddress: 'requirePhone' | 'requireEmail' | 'requirePushTokens';
  addressCategory: string;
  channelWords: string;
  sampleRecipient: string;
  sampleAddress: string;
}

/** The id's first segment names the channel, as the installed plugins' ids do. */
const CHANNELS: Record<string, ChannelTemplate> = {
  sms: {
    channel: 'SMS',
    recipientField: 'phone',
    requireAddress: 'requirePhone',
    addressCategory: 'phone number',
    channelWords: 'SMS messages',
    sampleRecipient: "{ phone: '+46701234567' }",
    sampleAddress: "'+46701234567'",
  },
  email: {
    channel: 'EMAIL',
    recipientField: 'email',
    requireAddress: 'requireEmail',
    addressCategory: 'e-mail address',
    channelWords: 'e-mails',
    sampleRecipient: "{ email: 'anna@example.com' }",
    sampleAddress: "'anna@example.com'",
  },
  push: {
    channel: 'PUSH',
    recipientField: 'pushTokens',
    requireAddress: 'requirePushTokens',
    addressCategory: 'push token',
    channelWords: 'push notifications',
    sampleRecipient: "{ pushTokens: ['device-token-1'] }",
    sampleAddress: "['device-token-1']",
  },
};

/** The template files and the names they get in the new folder. */
const FILES = (id: string): Array<[template: string, target: string]> => [
  ['index.ts.txt', 'index.ts'],
  ['fake-server.ts.txt', 'fake-server.ts'],
  ['PROVIDER.md.txt', 'PROVIDER.md'],
  ['plugin.test.ts.txt', `${id}.test.ts`],
];

/** A refused id: the message says why. */
export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * Writes `<pluginsDir>/<id>/` and returns the paths written. Refuses an id that does not match
 * the plugin id pattern, does not start with a message channel, names an existing folder or
 * one of `takenIds` (plugins installed under other folder names).
 */
export function scaffoldPlugin(id: string, pluginsDir = PLUGINS_DIR, takenIds: readonly string[] = []): string[] {
  const [prefix = '', ...rest] = id.split('-');
  const template = CHANNELS[prefix];
  if (!PLUGIN_ID_PATTERN.test(id) || !template || rest.length === 0 || rest.some((part) => part === '')) {
    throw new ScaffoldError(
      `"${id}" is not a plugin id: write <channel>-<provider> in lower-case letters, digits and single dashes, the channel one of ${Object.keys(CHANNELS).join(', ')} (e.g. sms-acme)`,
    );
  }
  const folder = join(pluginsDir, id);
  if (existsSync(folder)) throw new ScaffoldError(`plugins/${id} exists already; choose another id`);
  if (takenIds.includes(id)) throw new ScaffoldError(`a plugin with the id ${id} is installed already; choose another id`);

  const values: Record<string, string> = {
    ID: id,
    NAME: rest.join('-'),
    DISPLAY_NAME: rest.map(capitalised).join(' '),
    PASCAL: id.split('-').map(capitalised).join(''),
    CONST: id.toUpperCase().replaceAll('-', '_'),
    CHANNEL: template.channel,
    CHANNEL_WORDS: template.channelWords,
    RECIPIENT_FIELD: template.recipientField,
    REQUIRE_ADDRESS: template.requireAddress,
    ADDRESS_CATEGORY: template.addressCategory,
    SAMPLE_RECIPIENT: template.sampleRecipient,
    SAMPLE_ADDRESS: template.sampleAddress,
  };
  const rendered = FILES(id).map(([source, target]) => {
    const text = readFileSync(join(TEMPLATE_DIR, source), 'utf8').replace(/__([A-Z][A-Z_]*?)__/g, (placeholder, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`scaffold-template/${source} has an unknown placeholder ${placeholder}`);
      return value;
    });
    return [join(folder, target), text] as const;
  });
  mkdirSync(folder, { recursive: true });
  for (const [path, text] of rendered) writeFileSync(path, text);
  return rendered.map(([path]) => path);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const id = process.argv[2] ?? '';
  try {
    const { PLUGIN_FOLDERS } = await import('./registry.ts');
    const installed = PLUGIN_FOLDERS.flatMap((f) => f.plugins.map((p) => p.id));
    const written = scaffoldPlugin(id, PLUGINS_DIR, installed);
    console.log(`Wrote plugins/${id}/:\n${written.map((path) => `  ${path.slice(PLUGINS_DIR.length)}`).join('\n')}`);
    console.log(`Next: npx vitest run plugins/${id}; npm run typecheck; npm run plugin:fake -- ${id} (see plugins/README.md).`);
  } catch (err) {
    if (!(err instanceof ScaffoldError)) throw err;
    console.error(`plugin:new: ${err.message}`);
    process.exitCode = 1;
  }
}
