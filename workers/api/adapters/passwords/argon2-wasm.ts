/**
 * Thin binding to the argon2 reference implementation compiled to WASM by
 * `@phi-ag/argon2`. We load that package's statically imported module (runtime
 * `WebAssembly.compile` is blocked on Workers) and call its C exports
 * directly rather than through its `Argon2` class, because that class passes
 * `password.length` (UTF-16 code units) as the byte length of the UTF-8
 * encoded password: any non-ASCII password is silently truncated (a hash of
 * "漢字漢字漢字" accepts "漢字AAAA"). Here the caller passes bytes, so the
 * length is the real one and the hashes match every other argon2 library.
 */
import wasm from "@phi-ag/argon2/argon2.wasm";

export type Argon2Type = "argon2d" | "argon2i" | "argon2id";

/** `argon2_type` values of the reference implementation. */
const TYPE_CODE: Record<Argon2Type, number> = { argon2d: 0, argon2i: 1, argon2id: 2 };
/** ARGON2_VERSION_13 (0x13). */
const VERSION_13 = 0x13;
const ARGON2_OK = 0;

export interface Argon2Cost {
  /** Memory in KiB. */
  m: number;
  /** Passes over memory. */
  t: number;
  /** Lanes. */
  p: number;
}

type WasmFunction = (...args: number[]) => number;

interface Argon2Exports {
  memory: WebAssembly.Memory;
  malloc: WasmFunction;
  free: WasmFunction;
  argon2_hash: WasmFunction;
  argon2_verify: WasmFunction;
  argon2_encodedlen: WasmFunction;
}

function exportedFunction(exports: WebAssembly.Exports, name: string): WasmFunction {
  const value = exports[name];
  if (typeof value !== "function") throw new Error(`argon2 wasm lacks export ${name}`);
  return value as WasmFunction;
}

let loaded: Argon2Exports | undefined;

/**
 * Instantiates the module once per isolate, on first use. Synchronous
 * instantiation of an already compiled module is allowed on Workers and
 * leaves no promise shared between requests.
 */
function argon2(): Argon2Exports {
  if (loaded) return loaded;
  const { exports } = new WebAssembly.Instance(wasm);
  const memory = exports["memory"];
  if (!(memory instanceof WebAssembly.Memory)) throw new Error("argon2 wasm lacks its memory");
  exportedFunction(exports, "_initialize")();
  loaded = {
    memory,
    malloc: exportedFunction(exports, "malloc"),
    free: exportedFunction(exports, "free"),
    argon2_hash: exportedFunction(exports, "argon2_hash"),
    argon2_verify: exportedFunction(exports, "argon2_verify"),
    argon2_encodedlen: exportedFunction(exports, "argon2_encodedlen"),
  };
  return loaded;
}

/** Runs `use` with `bytes` copied into WASM memory; wipes and frees them afterwards. */
function withCopy<T>(lib: Argon2Exports, bytes: Uint8Array, use: (ptr: number) => T): T {
  // One extra byte: a terminating NUL for C strings, and malloc(0) is never asked for.
  const ptr = lib.malloc(bytes.length + 1);
  if (ptr === 0) throw new Error("argon2 wasm out of memory");
  const heap = () => new Uint8Array(lib.memory.buffer, ptr, bytes.length + 1);
  heap().set(bytes);
  heap()[bytes.length] = 0;
  try {
    return use(ptr);
  } finally {
    heap().fill(0); // the buffer held a password: do not leave it in linear memory
    lib.free(ptr);
  }
}

function readCString(lib: Argon2Exports, ptr: number, maxLength: number): string {
  const view = new Uint8Array(lib.memory.buffer, ptr, maxLength);
  const end = view.indexOf(0);
  return new TextDecoder().decode(view.subarray(0, end === -1 ? maxLength : end));
}

/** Hashes `password` (bytes) and returns the PHC string (`$argon2id$v=19$m=…`). */
export function argon2HashEncoded(
  type: Argon2Type,
  password: Uint8Array,
  salt: Uint8Array,
  cost: Argon2Cost,
  hashLength: number,
): string {
  const lib = argon2();
  const code = TYPE_CODE[type];
  const encodedLength = lib.argon2_encodedlen(cost.t, cost.m, cost.p, salt.length, hashLength, code);
  return withCopy(lib, password, (pwd) =>
    withCopy(lib, salt, (saltPtr) =>
      withCopy(lib, new Uint8Array(hashLength), (hashPtr) =>
        withCopy(lib, new Uint8Array(encodedLength), (encodedPtr) => {
          const rc = lib.argon2_hash(
            cost.t, cost.m, cost.p,
            pwd, password.length,
            saltPtr, salt.length,
            hashPtr, hashLength,
            encodedPtr, encodedLength,
            code, VERSION_13,
          );
          if (rc !== ARGON2_OK) throw new Error(`argon2_hash failed with code ${rc}`);
          return readCString(lib, encodedPtr, encodedLength);
        }),
      ),
    ),
  );
}

/**
 * Verifies `password` (bytes) against a PHC string. The reference
 * implementation compares digests in constant time. Any error (malformed
 * string, mismatch) is `false`; callers bound the cost parameters first.
 */
export function argon2VerifyEncoded(type: Argon2Type, encoded: string, password: Uint8Array): boolean {
  const lib = argon2();
  const encodedBytes = new TextEncoder().encode(encoded);
  return withCopy(lib, encodedBytes, (encodedPtr) =>
    withCopy(lib, password, (pwd) => lib.argon2_verify(encodedPtr, pwd, password.length, TYPE_CODE[type]) === ARGON2_OK),
  );
}
