import type { CoreDeps, TenantScope } from "../deps";
import type { Authenticated } from "../sessions/authenticate";
import { type SecondFactorInventory, secondFactorInventory } from "./second-factors";

/** `GET /me/mfa`: which factors the user holds (counts only, never secrets). */
export async function getMyMfa(deps: CoreDeps, scope: TenantScope, auth: Authenticated): Promise<SecondFactorInventory> {
  return secondFactorInventory(deps, scope, auth.user.id);
}
