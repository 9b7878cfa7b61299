// The context plugin tests call plugins with. Their providers are fakes on 127.0.0.1, so the
// outbound policy is the one of a development machine (private networks allowed).
import type { PluginContext } from '../../src/channels/contract.ts';
import { createOutboundPolicy } from '../../src/channels/kit/outbound.ts';

export const localOutbound = createOutboundPolicy({ allowPrivateNetworks: true });

export function pluginContext<Config>(config: Config, callbackUrl = 'https://platform.example/webhooks/test/token'): PluginContext<Config> {
  return { config, callbackUrl, outbound: localOutbound };
}
