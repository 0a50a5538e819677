import type { Storage } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { auditChainContract } from "./contract-audit-chain";
import { identityContract } from "./contract-identity";
import { keysContract } from "./contract-keys";
import { oauthContract } from "./contract-oauth";
import { oneTimeContract } from "./contract-one-time";
import { organizationContract } from "./contract-organizations";
import { secondFactorContract } from "./contract-second-factors";
import { upstreamContract } from "./contract-upstream";
import { webhooksContract } from "./contract-webhooks";

/**
 * The storage contract: every repository method of the `Storage` port, run
 * unchanged against each backend. `open` returns a storage handle; racing
 * callers each open their own, as concurrent requests would.
 */
export function storageContract(backend: string, open: () => Storage) {
  describe(`storage contract: ${backend}`, () => {
    it("answers a ping", async () => {
      await expect(open().ping()).resolves.toBeUndefined();
    });
    identityContract(open);
    keysContract(open);
    oneTimeContract(open);
    secondFactorContract(open);
    organizationContract(open);
    webhooksContract(open);
    auditChainContract(open);
    oauthContract(open);
    upstreamContract(open);
  });
}
