/**
 * Where each endpoint of a tenant's provider lives, relative to its issuer
 * (`{origin}/t/{slug}`). One place, so discovery, the device flow and the
 * hosted pages name the same URLs.
 */
export interface ProviderEndpoints {
  authorization: string;
  token: string;
  userinfo: string;
  jwks: string;
  registration: string;
  revocation: string;
  introspection: string;
  endSession: string;
  deviceAuthorization: string;
  /** RFC 8628 §3.2 verification_uri: the hosted page where the user types the code. */
  deviceVerification: string;
}

export function providerEndpoints(issuer: string): ProviderEndpoints {
  return {
    authorization: `${issuer}/oauth/authorize`,
    token: `${issuer}/oauth/token`,
    userinfo: `${issuer}/oauth/userinfo`,
    jwks: `${issuer}/.well-known/jwks.json`,
    registration: `${issuer}/oauth/register`,
    revocation: `${issuer}/oauth/revoke`,
    introspection: `${issuer}/oauth/introspect`,
    endSession: `${issuer}/oauth/end_session`,
    deviceAuthorization: `${issuer}/oauth/device_authorization`,
    deviceVerification: `${issuer}/device`,
  };
}
