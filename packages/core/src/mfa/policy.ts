import type { TenantSettings } from "@plinto/contracts";
import type { User } from "../model";

/** Whether the tenant's policy (settings.mfa.policy) makes a second factor mandatory for this user. */
export function mfaRequiredFor(settings: TenantSettings, user: User): boolean {
  switch (settings.mfa.policy) {
    case "required":
      return true;
    case "required_for_admins":
      return user.role === "admin";
    case "optional":
      return false;
  }
}
