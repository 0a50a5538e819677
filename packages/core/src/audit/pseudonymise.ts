import type { CoreDeps } from "../deps";
import type { AuditEvent } from "../model";
import type { AuditPseudonymisation } from "../ports/repositories";

/** Who is being erased: the ids that stand for them and the strings (email, name) that identify them. */
export interface ErasedPerson {
  ids: string[];
  needles: string[];
  /** Stable pseudonym that replaces their ids in every row. */
  pseudonym: string;
}

/** data keys that hold network or contact details of whoever acted. */
const PERSONAL_KEYS = new Set(["email", "ip", "user_agent", "name"]);
export const ERASED = "[erased]";

function redact(value: unknown, person: ErasedPerson): unknown {
  if (typeof value === "string") {
    if (person.ids.includes(value)) return person.pseudonym;
    const lower = value.toLowerCase();
    return person.needles.some((needle) => lower.includes(needle.toLowerCase())) ? ERASED : value;
  }
  if (Array.isArray(value)) return value.map((inner) => redact(inner, person));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).flatMap(([key, inner]) => (PERSONAL_KEYS.has(key) ? [] : [[key, redact(inner, person)]])),
    );
  }
  return value;
}

/** What a row of the erased person's looks like afterwards: ids replaced, network details and personal strings gone. */
export function pseudonymised(event: AuditEvent, person: ErasedPerson): AuditPseudonymisation {
  const swap = (id: string | null) => (id !== null && person.ids.includes(id) ? person.pseudonym : id);
  return {
    actorId: swap(event.actorId),
    subjectId: swap(event.subjectId),
    ip: null,
    userAgent: null,
    data: redact(event.data, person) as Record<string, unknown>,
  };
}

/**
 * Pseudonymises every audit row that mentions the person (docs/audit.md):
 * the personal columns are rewritten and the row's salt destroyed, while the
 * chain columns stay, so the chain still verifies. Returns how many rows.
 */
export async function pseudonymiseAuditTrail(deps: CoreDeps, tenantId: string, person: ErasedPerson): Promise<number> {
  let afterId: string | null = null;
  let count = 0;
  do {
    const page = await deps.storage.audit.listMentioning(tenantId, person.ids, person.needles, afterId, 200);
    for (const event of page.items) {
      await deps.storage.audit.pseudonymise(tenantId, event.id, pseudonymised(event, person));
      count += 1;
    }
    afterId = page.nextAfterId;
  } while (afterId);
  return count;
}
