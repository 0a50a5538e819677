export { createD1Storage } from "./d1/index";
