/**
 * Canonical form used for uniqueness and look-up: Unicode NFC, trimmed, lower
 * case. (RFC 5321 §2.4 lets the local part be case-sensitive, but no real
 * mailbox provider treats it so, and users expect Ann@x and ann@x to be one
 * account.) The address as typed is kept for display.
 */
export function normalizeEmail(email: string): string {
  return email.normalize("NFC").trim().toLowerCase();
}
