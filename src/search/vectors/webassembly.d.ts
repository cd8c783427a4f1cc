/**
 * The parts of the WebAssembly JavaScript API that vector search uses. Node has them all (V8's), but
 * `@types/node` 20 declares none, and the DOM library would bring a browser's globals into a server.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor {
    /** In 64 KiB pages. */
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
