/**
 * @plinto/edge: verify Plinto access tokens where the app runs (Cloudflare
 * Workers, Node 20+, service workers), with WebCrypto through jose only.
 */
export { createVerifier, type Verifier, type VerifierStats } from "./create-verifier";
export type { RevocationOptions, VerifierOptions } from "./options";
export type { PlintoAccessTokenClaims, VerifiedToken } from "./claims";
export { EdgeAuthError, edgeAuthErrorCatalog, isEdgeAuthError, type EdgeAuthErrorCode } from "./errors";
export { bearerErrorResponse, toBearerError, type BearerError, type BearerErrorOptions } from "./bearer-error";
export { authenticateRequest, readBearerToken } from "./bearer-token";
export { assertOrgRole, assertPermission, assertScope, hasOrgRole, hasPermission, hasScope } from "./access";
export { plintoAuth, requireOrgRole, requirePermission, requireScope, type PlintoAuthEnv, type PlintoAuthVariables, type VerifierSource } from "./middleware/hono";
export { withPlintoAuth, type AuthenticatedHandler } from "./middleware/fetch";
export type { FetchLike, KvLike, TenantRef } from "./jwks/sources";
export type { CacheLike } from "./revocation/snapshot-cache";
export type { RevocationCounters } from "./revocation/revocation-store";
export { ACCESS_TOKEN_TYPE, ASYMMETRIC_ALGORITHMS } from "./algorithms";
