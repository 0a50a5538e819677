import { type Clock, PlintoError, systemClock } from "@plinto/core";
import { requestId } from "hono/request-id";
import type { MailFetcher } from "./adapters/mail/http-mail-api";
import { buildSharedDeps, depsForRequest, type SharedDeps } from "./deps";
import { problemResponse } from "./errors/problem";
import { requireAdmin } from "./middleware/authenticate";
import { deferredWork } from "./middleware/deferred-work";
import { requestLifecycle } from "./middleware/request-lifecycle";
import { sealAuditAfterResponse } from "./middleware/seal-audit";
import { limitBody, noStoreByDefault, requireJsonBody, securityHeaders } from "./middleware/security";
import { resolveTenant, tenantCors } from "./middleware/tenant";
import { adminAuditRoutes } from "./routes/admin/audit";
import { adminEmailTemplateRoutes } from "./routes/admin/email-templates";
import { adminKeyRoutes } from "./routes/admin/keys";
import { adminOAuthClientRoutes } from "./routes/admin/oauth-clients";
import { adminOrganizationRoutes } from "./routes/admin/organizations";
import { adminPolicyRoutes } from "./routes/admin/policies";
import { adminRoleRoutes } from "./routes/admin/roles";
import { adminSettingsRoutes } from "./routes/admin/settings";
import { adminUserExportRoutes } from "./routes/admin/user-export";
import { adminUserRoutes } from "./routes/admin/users";
import { adminUserIdentityRoutes } from "./routes/admin/user-identities";
import { adminWebhookDeliveryRoutes } from "./routes/admin/webhook-deliveries";
import { adminWebhookRoutes } from "./routes/admin/webhooks";
import { adminUpstreamConnectionRoutes } from "./routes/admin/upstream-connections";
import { activeOrganizationRoutes } from "./routes/active-organization";
import { devMailboxRoutes } from "./routes/dev-mailbox";
import { mountDocs } from "./routes/docs";
import { emailSignInRoutes } from "./routes/email-sign-in";
import { emailVerificationRoutes } from "./routes/email-verification";
import { healthRoutes } from "./routes/health";
import { identityRoutes } from "./routes/identities";
import { invitationRoutes } from "./routes/invitations";
import { jwksRoutes } from "./routes/jwks";
import { loginPages } from "./routes/login/index";
import { devicePages } from "./routes/login/device";
import { logoutRoutes } from "./routes/login/logout";
import { authorizeRoutes } from "./routes/oauth/authorize";
import { upstreamSignInRoutes } from "./routes/login/upstream";
import { authorizationServerMetadataRoutes, openIdConfigurationRoutes } from "./routes/oauth/discovery";
import { registrationRoutes } from "./routes/oauth/register";
import { tokenRoutes } from "./routes/oauth/token";
import { deviceAuthorizationRoutes } from "./routes/oauth/device-authorization";
import { introspectionRoutes } from "./routes/oauth/introspect";
import { revocationEndpointRoutes } from "./routes/oauth/revoke";
import { userInfoRoutes } from "./routes/oauth/userinfo";
import { meRoutes } from "./routes/me";
import { mePrivacyRoutes } from "./routes/me-privacy";
import { linkedIdentityRoutes } from "./routes/linked-identities";
import { mfaRoutes } from "./routes/mfa";
import { mfaChallengeRoutes } from "./routes/mfa-challenge";
import { operatorRoutes } from "./routes/operator";
import { organizationMemberRoutes } from "./routes/organization-members";
import { organizationRoutes } from "./routes/organizations";
import { passwordResetRoutes } from "./routes/password-reset";
import { passkeyRoutes } from "./routes/passkeys";
import { policyRoutes } from "./routes/policies";
import { revocationRoutes } from "./routes/revocations";
import { sessionRoutes } from "./routes/sessions";
import { stepUpRoutes } from "./routes/step-up";
import { tenantTransferRoutes } from "./routes/tenant-transfer";
import { createRouter } from "./router";

export interface AppOptions {
  /** Injected time source; tests move it by hand instead of sleeping. */
  clock?: Clock;
  /** Replaces `fetch` for the HTTP mail API adapter (tests point it at a fake provider). */
  mailFetcher?: MailFetcher;
}

/** The api worker: global middleware, then one sub-app per feature. */
export function buildApp(options: AppOptions = {}) {
  const clock = options.clock ?? systemClock;
  const app = createRouter();
  app.use("*", requestId(), ...securityHeaders, limitBody, requireJsonBody);
  // Adapters without per-request I/O are wired once per bindings object; storage once per request (storage.ts).
  const sharedByEnv = new WeakMap<Env, Promise<SharedDeps>>();
  app.use("*", async (c, next) => {
    let shared = sharedByEnv.get(c.env);
    if (!shared) {
      shared = buildSharedDeps(c.env, clock, options.mailFetcher);
      sharedByEnv.set(c.env, shared);
    }
    c.set("deps", depsForRequest(await shared, c.env));
    await next();
  });
  app.use("*", requestLifecycle);
  app.use("*", sealAuditAfterResponse);

  app.route("/", healthRoutes);
  app.route("/api/v1/operator", operatorRoutes);
  app.route("/api/v1/operator", tenantTransferRoutes);
  app.route("/dev/mailbox", devMailboxRoutes);

  const admin = createRouter();
  admin.use("*", requireAdmin);
  admin.route("/", adminUserRoutes);
  admin.route("/", adminUserIdentityRoutes);
  admin.route("/", adminUserExportRoutes);
  admin.route("/", adminSettingsRoutes);
  admin.route("/", adminKeyRoutes);
  admin.route("/", adminAuditRoutes);
  admin.route("/", adminEmailTemplateRoutes);
  admin.route("/", adminOrganizationRoutes);
  admin.route("/", adminRoleRoutes);
  admin.route("/", adminPolicyRoutes);
  admin.route("/", adminWebhookRoutes);
  admin.route("/", adminWebhookDeliveryRoutes);
  admin.route("/", adminUpstreamConnectionRoutes);
  admin.route("/", adminOAuthClientRoutes);

  const tenant = createRouter();
  tenant.use("*", resolveTenant, deferredWork, tenantCors, noStoreByDefault);
  tenant.route("/.well-known", jwksRoutes);
  tenant.route("/.well-known", openIdConfigurationRoutes);
  tenant.route("/api/v1", identityRoutes);
  tenant.route("/api/v1", sessionRoutes);
  tenant.route("/api/v1", emailVerificationRoutes);
  tenant.route("/api/v1", passwordResetRoutes);
  tenant.route("/api/v1", emailSignInRoutes);
  tenant.route("/api/v1", meRoutes);
  tenant.route("/api/v1", mePrivacyRoutes);
  tenant.route("/api/v1", linkedIdentityRoutes);
  tenant.route("/api/v1", mfaChallengeRoutes);
  tenant.route("/api/v1", mfaRoutes);
  tenant.route("/api/v1", stepUpRoutes);
  tenant.route("/api/v1", passkeyRoutes);
  tenant.route("/api/v1", revocationRoutes);
  tenant.route("/api/v1", organizationRoutes);
  tenant.route("/api/v1", organizationMemberRoutes);
  tenant.route("/api/v1", invitationRoutes);
  tenant.route("/api/v1", activeOrganizationRoutes);
  tenant.route("/api/v1", policyRoutes);
  tenant.route("/api/v1/admin", admin);
  tenant.route("/oauth", tokenRoutes);
  tenant.route("/oauth", registrationRoutes);
  tenant.route("/oauth", userInfoRoutes);
  tenant.route("/oauth", introspectionRoutes);
  tenant.route("/oauth", revocationEndpointRoutes);
  tenant.route("/oauth", deviceAuthorizationRoutes);
  tenant.route("/connections", upstreamSignInRoutes);
  tenant.route("/login", loginPages);
  tenant.route("/device", devicePages);
  tenant.route("/", authorizeRoutes);
  tenant.route("/", logoutRoutes);
  app.route("/t/:tenant", tenant);
  app.route("/", authorizationServerMetadataRoutes);

  mountDocs(app);
  app.notFound((c) => problemResponse(c, new PlintoError("not_found", { detail: `no route for ${c.req.method} ${c.req.path}` })));
  app.onError((error, c) => problemResponse(c, error));
  return app;
}
