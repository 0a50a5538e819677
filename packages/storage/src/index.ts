export { createD1Storage } from "./d1/index";
export { createPgStorage } from "./pg/index";
export { connectPostgres } from "./pg/connect";
export { createD1TenantTransfer } from "./transfer/d1";
export { createPgTenantTransfer } from "./transfer/pg";
export { NOT_EXPORTED, TENANT_TABLES } from "./transfer/tables";
