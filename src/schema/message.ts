// What a send or a campaign carries: the message, and the gift it may hand out.
import { builder } from './builder.ts';

export const MessageInput = builder.inputType('MessageInput', {
  description: 'What a send says.',
  fields: (t) => ({
    subject: t.string({ description: 'Email subject or push title.' }),
    body: t.string({ required: true, description: 'The text; {{name}} and {{gift.url}}, {{gift.code}} are filled in.' }),
  }),
});

export const GiftInput = builder.inputType('GiftInput', {
  description: 'A gift (coupon) to issue before the message goes out; its code and link fill {{gift.code}} and {{gift.url}}.',
  fields: (t) => ({
    pluginId: t.string({ description: "A COUPON plugin id; null picks the tenant's configured COUPON channel." }),
    offerId: t.string({ required: true, description: "The coupon provider's offer, e.g. 'coffee'." }),
    expiresAt: t.field({ type: 'DateTime', description: "When the gift stops being redeemable; null for the provider's default." }),
  }),
});
