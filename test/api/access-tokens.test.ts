import { exportSPKI, generateKeyPair, importJWK, type JWK, jwtVerify, createLocalJWKSet, exportJWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, json, signIn, signUp, type TestTenant, type TokenBody } from "./helpers";
import {
  admin,
  b64url,
  claimsOf,
  clockedApp,
  expectInvalidToken,
  fromB64urlJson,
  getJwks,
  headerOf,
  me,
  MINUTE,
  mint,
  partsOf,
  tenantSigningKey,
  tokensOf,
} from "./token-helpers";

let tenant: TestTenant;
let other: TestTenant;
let user: { email: string; tokens: TokenBody };

beforeAll(async () => {
  [tenant, other] = await Promise.all([createTenant(), createTenant()]);
  user = await signUp(tenant);
});

describe("access token format", () => {
  it("is an RS256 at+jwt with a kid and the DESIGN.md claims", async () => {
    const token = user.tokens.access_token;
    const header = headerOf(token);
    expect(header.alg).toBe("RS256");
    expect(header.typ).toBe("at+jwt");
    expect(typeof header.kid).toBe("string");
    expect(header.kid?.length).toBeGreaterThan(0);
    expect(header.jku).toBeUndefined();
    expect(header.jwk).toBeUndefined();
    expect(header.x5u).toBeUndefined();

    const claims = claimsOf(token);
    const issuer = `http://localhost/t/${tenant.slug}`;
    expect(tenant.issuer).toBe(issuer);
    expect(claims.iss).toBe(issuer);
    expect(claims.sub).toBe(user.tokens.user?.id);
    expect(claims.aud).toBeDefined();
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(user.tokens.expires_in).toBe(900);
    expect(claims.nbf).toBeLessThanOrEqual(claims.iat!);
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(60);
    expect(typeof claims.jti).toBe("string");
    expect(claims.sid).toBe(user.tokens.session_id);
    expect(claims.amr).toEqual(["pwd"]);
  });

  it("has a fresh jti for every token of the same session", async () => {
    const signedIn = await tokensOf(await signIn(tenant, user.email));
    expect(claimsOf(signedIn.access_token).jti).not.toBe(claimsOf(user.tokens.access_token).jti);
    expect(claimsOf(signedIn.access_token).amr).toEqual(["pwd"]);
  });

  it("verifies with jose against the tenant's published JWKS", async () => {
    const { jwks } = await getJwks(tenant);
    const { payload, protectedHeader } = await jwtVerify(user.tokens.access_token, createLocalJWKSet(jwks), {
      issuer: tenant.issuer,
      audience: claimsOf(user.tokens.access_token).aud,
      typ: "at+jwt",
      algorithms: ["RS256"],
    });
    expect(payload.sub).toBe(user.tokens.user?.id);
    expect(jwks.keys.map((key) => key.kid)).toContain(protectedHeader.kid);
  });

  it("does not verify against another tenant's JWKS", async () => {
    const { jwks } = await getJwks(other);
    await expect(jwtVerify(user.tokens.access_token, createLocalJWKSet(jwks))).rejects.toThrow();
  });

  it("is accepted on /me (positive control for every rejection below)", async () => {
    const response = await me(tenant, user.tokens.access_token);
    expect(response.status).toBe(200);
    expect((await json<{ id: string }>(response)).id).toBe(user.tokens.user?.id);
  });

  it("a token minted here with the tenant's own key and unchanged claims is accepted (control for the minted defects)", async () => {
    const key = await tenantSigningKey(tenant);
    expect(key.kid).toBe(headerOf(user.tokens.access_token).kid);
    const response = await me(tenant, await mint(key, user.tokens.access_token));
    expect(response.status).toBe(200);
  });
});

describe("access token rejections: 401 invalid_token with a Bearer challenge", () => {
  it("no Authorization header: 401 with a bare Bearer challenge", async () => {
    const response = await call(`${tenant.base}/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
  });

  it("expired: clock advanced 16 minutes", async () => {
    const { clock, call: send } = clockedApp();
    const fresh = await tokensOf(await signIn(tenant, user.email));
    clock.advance(14 * MINUTE);
    expect((await me(tenant, fresh.access_token, send)).status).toBe(200);
    clock.advance(2 * MINUTE);
    const body = await expectInvalidToken(await me(tenant, fresh.access_token, send));
    expect(JSON.stringify(body)).not.toContain(fresh.access_token);
  });

  it("tampered payload (sub changed to another user)", async () => {
    const victim = await signUp(tenant);
    const [header, payload, signature] = partsOf(user.tokens.access_token);
    const claims = fromB64urlJson(payload);
    claims.sub = victim.tokens.user?.id;
    await expectInvalidToken(await me(tenant, `${header}.${b64url(claims)}.${signature}`));
  });

  it("tampered signature", async () => {
    const [header, payload, signature] = partsOf(user.tokens.access_token);
    const flipped = (signature.startsWith("A") ? "B" : "A") + signature.slice(1);
    await expectInvalidToken(await me(tenant, `${header}.${payload}.${flipped}`));
    await expectInvalidToken(await me(tenant, `${header}.${payload}.`));
    await expectInvalidToken(await me(tenant, `${header}.${payload}`));
  });

  it("tampered header (typ changed, same signature)", async () => {
    const [header, payload, signature] = partsOf(user.tokens.access_token);
    const changed = { ...fromB64urlJson(header), typ: "JWT" };
    await expectInvalidToken(await me(tenant, `${b64url(changed)}.${payload}.${signature}`));
  });

  it("unknown kid", async () => {
    const [header, payload, signature] = partsOf(user.tokens.access_token);
    const changed = { ...fromB64urlJson(header), kid: "key_00000000000000000000000000" };
    await expectInvalidToken(await me(tenant, `${b64url(changed)}.${payload}.${signature}`));
    const { kid: _kid, ...noKid } = fromB64urlJson(header);
    await expectInvalidToken(await me(tenant, `${b64url(noKid)}.${payload}.${signature}`));
  });

  it("alg none (unsigned), with and without the tenant's kid", async () => {
    const { kid } = headerOf(user.tokens.access_token);
    const payload = partsOf(user.tokens.access_token)[1];
    for (const header of [{ alg: "none", kid, typ: "at+jwt" }, { alg: "none", typ: "at+jwt" }, { alg: "None", kid }]) {
      await expectInvalidToken(await me(tenant, `${b64url(header)}.${payload}.`));
    }
  });

  it("HS256 signed with the tenant's public key as the HMAC secret (algorithm confusion)", async () => {
    const { kid } = headerOf(user.tokens.access_token);
    const { jwks } = await getJwks(tenant);
    const publicJwk = jwks.keys.find((key) => key.kid === kid);
    expect(publicJwk).toBeDefined();
    const pem = await exportSPKI((await importJWK(publicJwk as JWK, "RS256", { extractable: true })) as CryptoKey);
    const secrets = [
      new TextEncoder().encode(JSON.stringify(publicJwk)),
      new TextEncoder().encode(pem),
      new TextEncoder().encode(`${pem}\n`),
      new TextEncoder().encode(publicJwk?.n ?? ""),
    ];
    for (const secret of secrets) {
      const forged = await mint({ kid: kid ?? "", alg: "HS256", privateKey: secret }, user.tokens.access_token);
      expect(headerOf(forged).alg).toBe("HS256");
      await expectInvalidToken(await me(tenant, forged));
    }
  });

  it("RS256 signed by a different RSA key but carrying the tenant's kid", async () => {
    const { kid } = headerOf(user.tokens.access_token);
    const attacker = await generateKeyPair("RS256", { extractable: true });
    const forged = await mint({ kid: kid ?? "", alg: "RS256", privateKey: attacker.privateKey }, user.tokens.access_token);
    await expectInvalidToken(await me(tenant, forged));
    // Embedding the attacker's public key (jwk header) or a key URL (jku) changes nothing.
    const embedded = await mint({ kid: kid ?? "", alg: "RS256", privateKey: attacker.privateKey }, user.tokens.access_token, {
      header: { jwk: await exportJWK(attacker.publicKey), jku: "https://attacker.example/jwks.json" },
    });
    await expectInvalidToken(await me(tenant, embedded));
  });

  it("crit header with exp or an unknown extension, validly signed by the tenant's key", async () => {
    const key = await tenantSigningKey(tenant);
    const critExp = await mint(key, user.tokens.access_token, {
      header: { crit: ["exp"], exp: Math.floor(Date.now() / 1000) + 600 },
      crit: { exp: true },
    });
    expect(headerOf(critExp).crit).toEqual(["exp"]);
    await expectInvalidToken(await me(tenant, critExp));
    const critUnknown = await mint(key, user.tokens.access_token, {
      header: { crit: ["x-plinto-ext"], "x-plinto-ext": true },
      crit: { "x-plinto-ext": true },
    });
    await expectInvalidToken(await me(tenant, critUnknown));
  });

  it("a token over 8 KiB, even when validly signed; a large one under the limit is accepted", async () => {
    const key = await tenantSigningKey(tenant);
    const small = await mint(key, user.tokens.access_token, { claims: { pad: "x".repeat(4_000) } });
    expect(small.length).toBeLessThan(8_192);
    expect((await me(tenant, small)).status).toBe(200);
    const huge = await mint(key, user.tokens.access_token, { claims: { pad: "x".repeat(9_000) } });
    expect(huge.length).toBeGreaterThan(8_192);
    await expectInvalidToken(await me(tenant, huge));
    const [header, payload, signature] = partsOf(user.tokens.access_token);
    await expectInvalidToken(await me(tenant, `${header}.${payload}${"A".repeat(10_000)}.${signature}`));
  });

  it("iss (or aud) of another tenant, even when signed with this tenant's key", async () => {
    const key = await tenantSigningKey(tenant);
    await expectInvalidToken(await me(tenant, await mint(key, user.tokens.access_token, { claims: { iss: other.issuer } })));
    await expectInvalidToken(await me(tenant, await mint(key, user.tokens.access_token, { claims: { aud: other.issuer } })));
    await expectInvalidToken(
      await me(tenant, await mint(key, user.tokens.access_token, { claims: { iss: `https://evil.example/t/${tenant.slug}` } })),
    );
  });

  it("wrong or missing typ, validly signed", async () => {
    const key = await tenantSigningKey(tenant);
    for (const typ of ["JWT", "jwt", "id_token+jwt", "application/jwt"]) {
      await expectInvalidToken(await me(tenant, await mint(key, user.tokens.access_token, { header: { typ } })));
    }
    const noTyp = await new SignJWT({ ...claimsOf(user.tokens.access_token) })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .sign(key.privateKey);
    await expectInvalidToken(await me(tenant, noTyp));
  });

  it("claims out of their window or missing, validly signed", async () => {
    const key = await tenantSigningKey(tenant);
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      { claims: { exp: now - 60, iat: now - 960, nbf: now - 960 } },
      { claims: { nbf: now + 600 } },
      { omit: ["sid"] },
      { omit: ["exp"] },
      { omit: ["sub"] },
      { claims: { sid: "ses_00000000000000000000000000" } },
    ];
    for (const options of cases) await expectInvalidToken(await me(tenant, await mint(key, user.tokens.access_token, options)));
  });

  it("a token whose session was revoked fails at once", async () => {
    const victim = await signUp(tenant);
    const second = await tokensOf(await signIn(tenant, victim.email));
    expect((await me(tenant, victim.tokens.access_token)).status).toBe(200);
    const revoke = await call(`${tenant.base}/sessions/${victim.tokens.session_id}`, { method: "DELETE", token: second.access_token });
    expect(revoke.status).toBe(204);
    await expectInvalidToken(await me(tenant, victim.tokens.access_token));
    expect((await me(tenant, second.access_token)).status).toBe(200);
    // Signing out with the token itself ends it too.
    expect((await call(`${tenant.base}/sessions/${second.session_id}`, { method: "DELETE", token: second.access_token })).status).toBe(204);
    await expectInvalidToken(await me(tenant, second.access_token));
  });

  it("a token of a banned user fails at once", async () => {
    const victim = await signUp(tenant);
    const id = victim.tokens.user?.id ?? "";
    expect((await me(tenant, victim.tokens.access_token)).status).toBe(200);
    const ban = await admin(tenant, `/users/${id}/ban`, { body: {} });
    expect(ban.status).toBe(200);
    expect((await json<{ banned: boolean }>(ban)).banned).toBe(true);
    await expectInvalidToken(await me(tenant, victim.tokens.access_token));
    await expectInvalidToken(await call(`${tenant.base}/sessions`, { token: victim.tokens.access_token }));
  });

  it("a token of a deleted user fails at once", async () => {
    const victim = await signUp(tenant);
    const id = victim.tokens.user?.id ?? "";
    expect((await me(tenant, victim.tokens.access_token)).status).toBe(200);
    expect((await admin(tenant, `/users/${id}`, { method: "DELETE" })).status).toBe(204);
    await expectInvalidToken(await me(tenant, victim.tokens.access_token));
    expect((await admin(tenant, `/users/${id}`)).status).toBe(404);
  });

  it("malformed bearer values", async () => {
    for (const token of ["abc", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9", "%%%"]) {
      await expectInvalidToken(await call(`${tenant.base}/me`, { headers: { Authorization: `Bearer ${token}` } }));
    }
    // The refresh token is not an access token.
    await expectInvalidToken(await me(tenant, user.tokens.refresh_token));
    // The tenant secret key is not a user's access token.
    await expectInvalidToken(await me(tenant, tenant.secretKey));
  });
});
