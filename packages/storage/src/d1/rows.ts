/** The D1 adapters' view of the mappers shared with the Postgres adapters (../rows.ts). */
export * from "../rows";
export { isUniqueViolation, uniqueViolationAs } from "../errors";
