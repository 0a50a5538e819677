import { describe, expect, it } from "vitest";
import { allowPrivateWebhookTargets, checkWebhookUrl } from "./url-guard";

const reason = (raw: string, allowPrivate = false): string | null => {
  const verdict = checkWebhookUrl(raw, allowPrivate);
  return verdict.ok ? null : verdict.reason;
};

const PRIVATE = "private, loopback or link-local addresses are not allowed";
const LOCAL_NAME = "local host names are not allowed";

describe("checkWebhookUrl: refused in production (allowPrivate false)", () => {
  it.each([
    ["not a url", "not a valid absolute URL"],
    ["/relative/path", "not a valid absolute URL"],
    ["http://hooks.example.com/in", "must use https"],
    ["ftp://hooks.example.com/in", "must use https"],
    ["https://user:pass@hooks.example.com/in", "credentials in the URL are not allowed"],
    ["https://token@hooks.example.com/in", "credentials in the URL are not allowed"],
    // Local names, in any case and with a trailing dot.
    ["https://localhost/in", LOCAL_NAME],
    ["https://LOCALHOST./in", LOCAL_NAME],
    ["https://api.localhost/in", LOCAL_NAME],
    ["https://metadata.google.internal/computeMetadata/v1", LOCAL_NAME],
    ["https://printer.local/in", LOCAL_NAME],
    ["https://nas.localdomain/in", LOCAL_NAME],
    ["https://router.home.arpa/in", LOCAL_NAME],
    // IPv4: every private range, and the encodings the URL parser turns into dotted quads.
    ["https://127.0.0.1/in", PRIVATE],
    ["https://127.255.255.254/in", PRIVATE],
    ["https://2130706433/in", PRIVATE],
    ["https://0x7f.1/in", PRIVATE],
    ["https://0177.0.0.1/in", PRIVATE],
    ["https://0.0.0.0/in", PRIVATE],
    ["https://10.0.0.1/in", PRIVATE],
    ["https://172.16.0.1/in", PRIVATE],
    ["https://172.31.255.255/in", PRIVATE],
    ["https://192.168.1.1/in", PRIVATE],
    ["https://169.254.169.254/latest/meta-data", PRIVATE],
    ["https://100.64.0.1/in", PRIVATE],
    ["https://100.127.255.255/in", PRIVATE],
    ["https://192.0.0.8/in", PRIVATE],
    ["https://198.18.0.1/in", PRIVATE],
    ["https://224.0.0.1/in", PRIVATE],
    ["https://255.255.255.255/in", PRIVATE],
    // IPv6: loopback, unspecified, mapped and translated IPv4, unique local, link-local, multicast.
    ["https://[::1]/in", PRIVATE],
    ["https://[::]/in", PRIVATE],
    ["https://[0:0:0:0:0:0:0:1]/in", PRIVATE],
    ["https://[::ffff:127.0.0.1]/in", PRIVATE],
    ["https://[::ffff:a9fe:a9fe]/in", PRIVATE],
    ["https://[::127.0.0.1]/in", PRIVATE],
    ["https://[64:ff9b::169.254.169.254]/in", PRIVATE],
    ["https://[fd00:ec2::254]/in", PRIVATE],
    ["https://[fc00::1]/in", PRIVATE],
    ["https://[fe80::1]/in", PRIVATE],
    ["https://[fec0::1]/in", PRIVATE],
    ["https://[ff02::1]/in", PRIVATE],
  ])("%s is refused: %s", (raw, expected) => {
    expect(reason(raw)).toBe(expected);
  });
});

describe("checkWebhookUrl: allowed in production", () => {
  it.each([
    ["https://hooks.example.com/in", "https://hooks.example.com/in"],
    ["https://HOOKS.Example.COM:8443/in?x=1", "https://hooks.example.com:8443/in?x=1"],
    ["https://localhost.example.com/in", "https://localhost.example.com/in"],
    ["https://8.8.8.8/in", "https://8.8.8.8/in"],
    // Just outside the private ranges.
    ["https://172.32.0.1/in", "https://172.32.0.1/in"],
    ["https://100.128.0.1/in", "https://100.128.0.1/in"],
    ["https://169.255.0.1/in", "https://169.255.0.1/in"],
    ["https://11.0.0.1/in", "https://11.0.0.1/in"],
    ["https://[2606:4700:4700::1111]/in", "https://[2606:4700:4700::1111]/in"],
    ["https://[::ffff:8.8.8.8]/in", "https://[::ffff:808:808]/in"],
    ["https://[64:ff9b::8.8.8.8]/in", "https://[64:ff9b::808:808]/in"],
  ])("%s is allowed as %s", (raw, href) => {
    const verdict = checkWebhookUrl(raw, false);
    expect(verdict.ok && verdict.url.href).toBe(href);
  });
});

describe("checkWebhookUrl: the local development switch (allowPrivate true)", () => {
  it.each([
    ["http://127.0.0.1:9000/hook", null],
    ["http://localhost:3000/hook", null],
    ["http://[::1]:3000/hook", null],
    ["https://192.168.1.20/hook", null],
    ["ftp://127.0.0.1/hook", "must use https"],
    ["http://user:pass@localhost/hook", "credentials in the URL are not allowed"],
    ["localhost:3000", "must use https"],
    ["not a url", "not a valid absolute URL"],
  ])("%s -> %s", (raw, expected) => {
    expect(reason(raw, true)).toBe(expected);
  });
});

describe("allowPrivateWebhookTargets: honoured only in development and test", () => {
  it.each([
    ["development", "true", true],
    ["test", "true", true],
    ["production", "true", false],
    ["staging", "true", false],
    ["", "true", false],
    ["development", "false", false],
    ["development", "TRUE", false],
    ["development", "1", false],
    ["development", undefined, false],
  ] as const)("PLINTO_ENV=%j WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=%j -> %s", (plintoEnv, setting, expected) => {
    expect(allowPrivateWebhookTargets(plintoEnv, setting)).toBe(expected);
  });
});
