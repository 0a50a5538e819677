/** Names of the fields a partial update actually sets (for audit events). */
export function definedKeys(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
}
