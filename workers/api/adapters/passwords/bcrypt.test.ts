import { describe, expect, it } from "vitest";
import { verifyBcrypt } from "./bcrypt";

const PASSWORD = "correct horse battery staple";

describe("bcrypt", () => {
  it("verifies the PHP manual's password_verify example ($2y$)", async () => {
    const php = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a";
    expect(await verifyBcrypt(php, "rasmuslerdorf")).toBe(true);
    expect(await verifyBcrypt(php, "rasmuslerdorF")).toBe(false);
  });

  // Made with bcryptjs 3.0.3 in Node: bcrypt.hashSync(PASSWORD, bcrypt.genSaltSync(cost)).
  it.each([
    ["$2b$", "$2b$05$0AJU36Z0o7CqoHaqcIpXduxlsuHevKyDbjifk07K8srBdoXqxTrV."],
    ["$2a$", "$2a$04$DEc2CPYW7x6swjs4qs9ZuueFMVMTohKHJUkpdkn47CbP1vwoKzoW2"],
  ])("verifies %s and rejects a wrong password", async (_, stored) => {
    expect(await verifyBcrypt(stored, PASSWORD)).toBe(true);
    expect(await verifyBcrypt(stored, PASSWORD.slice(0, -1))).toBe(false);
  });

  it("keeps bcrypt's 72-byte limit: bytes after the 72nd are ignored", async () => {
    const stored = "$2b$04$NgVmyswxSAkvrPEWyUGVD.q3WDi982VOeQCRM2NgZAMNpbxfxJTZS"; // "a"×72 + "b"
    expect(await verifyBcrypt(stored, "a".repeat(72) + "b")).toBe(true);
    expect(await verifyBcrypt(stored, "a".repeat(72) + "anything")).toBe(true);
    expect(await verifyBcrypt(stored, "a".repeat(71))).toBe(false);
  });

  it("refuses a cost above the bound without computing (cost 31 would run for days)", async () => {
    expect(await verifyBcrypt("$2b$31$0AJU36Z0o7CqoHaqcIpXduxlsuHevKyDbjifk07K8srBdoXqxTrV.", PASSWORD)).toBe(false);
    expect(await verifyBcrypt("$2b$15$0AJU36Z0o7CqoHaqcIpXduxlsuHevKyDbjifk07K8srBdoXqxTrV.", PASSWORD)).toBe(false);
  });

  it.each([
    ["unknown minor version", "$2x$05$0AJU36Z0o7CqoHaqcIpXduxlsuHevKyDbjifk07K8srBdoXqxTrV."],
    ["cost below 4", "$2b$03$0AJU36Z0o7CqoHaqcIpXduxlsuHevKyDbjifk07K8srBdoXqxTrV."],
    ["truncated", "$2b$05$0AJU36Z0o7CqoHaqcIpXduxlsuHevKyDbjifk07K8srBdoXqxTrV"],
    ["bad alphabet", "$2b$05$0AJU36Z0o7CqoHaqcIpXduxlsuHevKyDbjifk07K8srBdoXqxTrV+"],
    ["one-digit cost", "$2b$5$0AJU36Z0o7CqoHaqcIpXduxlsuHevKyDbjifk07K8srBdoXqxTrV.."],
  ])("treats %s as not verifying", async (_, stored) => {
    expect(await verifyBcrypt(stored, PASSWORD)).toBe(false);
  });
});
