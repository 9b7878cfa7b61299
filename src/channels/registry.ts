// The installed provider plugins. Adding a provider is its folder in plugins/ plus its line in
// INSTALLED; nothing else refers to plugins by path.
import { createDevPlugins } from '../../plugins/dev/index.ts';
import type { ChannelPlugin } from './contract.ts';

const INSTALLED: ChannelPlugin[] = [
  (await import('../../plugins/sms-46elks/index.ts')).plugin,
  (await import('../../plugins/sms-lekab/index.ts')).plugin,
  (await import('../../plugins/sms-twilio/index.ts')).plugin,
  (await import('../../plugins/email-brevo/index.ts')).plugin,
  (await import('../../plugins/email-sendgrid/index.ts')).plugin,
  (await import('../../plugins/push-fcm/index.ts')).plugin,
  (await import('../../plugins/coupon-clearon/index.ts')).plugin,
];

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

/** The installed plugins, with the local dev catchers unless they are not allowed (production). */
export function createPluginRegistry(opts: { allowDevPlugins: boolean }): PluginRegistry {
  return new PluginRegistry([...INSTALLED, ...(opts.allowDevPlugins ? createDevPlugins() : [])]);
}
