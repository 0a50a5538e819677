import { connectPostgres, createPgStorage } from "@plinto/storage";
import { env } from "cloudflare:workers";
import { storageContract } from "./contract";

const hyperdrive = env.HYPERDRIVE;
if (!hyperdrive) throw new Error("the Postgres contract runs under vitest.pg.config.ts, which binds HYPERDRIVE");

storageContract("Postgres", () => createPgStorage(connectPostgres(hyperdrive.connectionString, { max: 2 })));
