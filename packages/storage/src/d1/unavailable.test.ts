import { describe, expect, it } from "vitest";
import { isD1Unavailable } from "./unavailable";

/** As the D1 binding throws: `D1_ERROR: <message>` with the bare message as `cause`, wrapped by drizzle's "Failed query". */
const d1Error = (message: string) => new Error(`D1_ERROR: ${message}`, { cause: new Error(message) });
const viaDrizzle = (error: Error) => new Error("Failed query: select * from users where id = ?\nparams: usr_1", { cause: error });

describe("isD1Unavailable", () => {
  it.each([
    "Network connection lost.",
    "D1 DB reset because its code was updated.",
    "Internal error while starting up D1 DB storage caused object to be reset.",
    "D1 DB storage operation exceeded timeout which caused object to be reset.",
    "D1 DB is overloaded. Too many requests queued.",
    "Cannot resolve D1 DB due to transient issue on remote node.",
  ])("is an outage: %s", (message) => {
    expect(isD1Unavailable(d1Error(message))).toBe(true);
    expect(isD1Unavailable(viaDrizzle(d1Error(message)))).toBe(true);
    expect(isD1Unavailable(new Error(message))).toBe(true); // the runtime's own error, before D1 answers
  });

  it.each([
    "UNIQUE constraint failed: users.email_normalized: SQLITE_CONSTRAINT",
    "no such table: users: SQLITE_ERROR",
    'near "SELEC": syntax error at offset 0: SQLITE_ERROR',
    "D1 DB's isolate exceeded its memory limit and was reset.",
    "Memory limit would be exceeded by this operation.",
  ])("is a query's own failure: %s", (message) => {
    expect(isD1Unavailable(viaDrizzle(d1Error(message)))).toBe(false);
  });

  it("never matches a query's text or parameters", () => {
    const query = new Error("Failed query: insert into users (name) values (?)\nparams: Network connection lost.", {
      cause: d1Error("UNIQUE constraint failed: users.id: SQLITE_CONSTRAINT"),
    });
    expect(isD1Unavailable(query)).toBe(false);
  });

  it("is false for anything that is not an Error", () => {
    expect(isD1Unavailable("Network connection lost.")).toBe(false);
    expect(isD1Unavailable(undefined)).toBe(false);
  });
});
