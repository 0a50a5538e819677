import { createD1Storage } from "@plinto/storage";
import { env } from "cloudflare:workers";
import { storageContract } from "./contract";

storageContract("D1", () => createD1Storage(env.DB));
