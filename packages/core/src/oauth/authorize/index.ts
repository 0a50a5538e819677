export * from "./authorization-request";
export * from "./authorization-response";
export * from "./consent";
export * from "./decide-authorization";
export * from "./stored-request";
export * from "./end-session";
