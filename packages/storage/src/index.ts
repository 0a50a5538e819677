export { createD1Storage } from "./d1/index";
export { createPgStorage } from "./pg/index";
export { connectPostgres } from "./pg/connect";
