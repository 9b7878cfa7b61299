// The installed provider plugins are the folders of plugins/: each folder whose index.ts
// exports `plugin` (or `plugins`, several) is loaded at start. Adding a provider is adding its
// folder; no list names them. A folder that also exports `devOnly = true` holds local
// catchers, installed only where dev plugins are allowed.
import { existsSync, readdirSync } from 'node:fs';
import { extname } from 'node:path';
import { Channel } from '../db/generated/enums.ts';
import type { ChannelPlugin } from './contract.ts';

const PLUGINS_DIR = new URL('../../plugins/', import.meta.url);
// Compiled to dist/ (src/build.mjs), this module and the plugins beside it are .js files.
const INDEX = `index${extname(import.meta.url)}`;

interface PluginModule {
  plugin?: ChannelPlugin;
  plugins?: readonly ChannelPlugin[];
  devOnly?: boolean;
}

interface PluginFolder {
  /** The folder's name in plugins/. */
  folder: string;
  plugins: readonly ChannelPlugin[];
  devOnly: boolean;
}

async function discover(): Promise<PluginFolder[]> {
  const folders = readdirSync(PLUGINS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/${INDEX}`, PLUGINS_DIR)))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    folders.map(async (folder) => {
      const module = (await import(new URL(`${folder}/${INDEX}`, PLUGINS_DIR).href)) as PluginModule;
      const plugins = module.plugins ?? (module.plugin ? [module.plugin] : []);
      if (plugins.length === 0) throw new Error(`plugins/${folder}/index.ts exports no \`plugin\` or \`plugins\``);
      return { folder, plugins, devOnly: module.devOnly === true };
    }),
  );
}

/** Every plugin folder, loaded once per process. */
export const PLUGIN_FOLDERS: readonly PluginFolder[] = await discover();

export class PluginRegistry {
  private readonly byId = new Map<string, ChannelPlugin>();

  constructor(plugins: readonly ChannelPlugin[]) {
    for (const plugin of plugins) {
      if (this.byId.has(plugin.id)) throw new Error(`two channel plugins share the id ${plugin.id}`);
      this.byId.set(plugin.id, plugin);
    }
  }

  get(id: string): ChannelPlugin | undefined {
    return this.byId.get(id);
  }

  list(): ChannelPlugin[] {
    return [...this.byId.values()];
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}

const CHANNEL_ORDER: readonly string[] = Object.values(Channel);

const byChannelThenId = (a: ChannelPlugin, b: ChannelPlugin) => CHANNEL_ORDER.indexOf(a.channel) - CHANNEL_ORDER.indexOf(b.channel) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const pluginsOf = (folders: readonly PluginFolder[]) => folders.flatMap((f) => f.plugins).sort(byChannelThenId);

/**
 * The installed plugins, by channel and then id, with the local dev catchers last unless they
 * are not allowed (production).
 */
export function createPluginRegistry(opts: { allowDevPlugins: boolean }): PluginRegistry {
  const providers = pluginsOf(PLUGIN_FOLDERS.filter((f) => !f.devOnly));
  const catchers = opts.allowDevPlugins ? pluginsOf(PLUGIN_FOLDERS.filter((f) => f.devOnly)) : [];
  return new PluginRegistry([...providers, ...catchers]);
}
