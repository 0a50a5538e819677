export * from "./audit";
export * from "./common";
export * from "./email";
export * from "./sessions";
export * from "./settings";
export * from "./tenants";
export * from "./users";
export * from "./revocations";
