// The provider kit: what plugins share instead of keeping their own copies.
export { deleteEach } from './erase.ts';
export {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  basicAuth,
  bearerAuth,
  formRequest,
  joinUrl,
  jsonRequest,
  malformed,
  parseJsonBody,
  providerRequest,
  throwForClientError,
  type CallContext,
  type ProviderRequest,
  type ProviderResponse,
} from './http.ts';
export { codeOf, errorCode, scrubText } from './provider-text.ts';
export { E164, isEmailAddress, requireEmail, requirePhone, requirePushTokens } from './recipients.ts';
export { jsonEvents } from './webhook-events.ts';
