import type { WebhookEventType } from "@plinto/contracts";
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointPatch } from "@plinto/core";
import type { webhookDeliveries, webhookEndpoints } from "@plinto/schema/sqlite";

/** Row <-> domain mapping of the webhook tables, for both backends (same column types, see rows.ts). */
export const webhookEndpointFromRow = (row: typeof webhookEndpoints.$inferSelect): WebhookEndpoint => ({
  ...row,
  eventTypes: JSON.parse(row.eventTypes) as WebhookEventType[],
  disabledReason: row.disabledReason === "manual" || row.disabledReason === "failing" ? row.disabledReason : null,
});

export const webhookEndpointToRow = (endpoint: WebhookEndpoint): typeof webhookEndpoints.$inferInsert => ({
  ...endpoint,
  eventTypes: JSON.stringify(endpoint.eventTypes),
});

/** Only the columns in the patch; JSON ones serialised. */
export function webhookEndpointPatchToRow(patch: WebhookEndpointPatch): Partial<typeof webhookEndpoints.$inferInsert> {
  const { eventTypes, ...rest } = patch;
  return eventTypes === undefined ? rest : { ...rest, eventTypes: JSON.stringify(eventTypes) };
}

export const webhookDeliveryFromRow = (row: typeof webhookDeliveries.$inferSelect): WebhookDelivery => row;
