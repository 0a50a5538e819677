import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";
it("works", async () => {
  const res = await exports.default.fetch("http://localhost/");
  const body = await res.json();
  expect(body).toMatchObject({ pong: "pong", n: { n: 0 } });
});
