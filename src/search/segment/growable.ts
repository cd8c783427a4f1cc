/** An append-only typed array that doubles when full: how segment arrays are built without knowing their size. */
export class GrowableArray<T extends Uint8Array | Uint32Array | Int32Array | Uint16Array | Float32Array> {
  private array: T;
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    this.array = make(1024);
  }

  push(value: number): void {
    if (this.length === this.array.length) {
      const grown = this.make(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length++] = value;
  }

  /** Pushes every value of an array, at once. */
  pushAll(values: ArrayLike<number>): void {
    let capacity = this.array.length;
    while (this.length + values.length > capacity) capacity *= 2;
    if (capacity > this.array.length) {
      const grown = this.make(capacity);
      grown.set(this.array);
      this.array = grown;
    }
    this.array.set(values, this.length);
    this.length += values.length;
  }

  at(index: number): number {
    return this.array[index]!;
  }

  /**
   * The array holding the values (those below `length`); a push may replace it. For hot loops: a read
   * of it stays specialised to its kind of array, where {@link at}, shared by every kind, is generic.
   */
  get values(): T {
    return this.array;
  }

  /** The values pushed so far, as a view that a later push may leave behind (when it grows the array). */
  view(): T {
    return this.array.subarray(0, this.length) as T;
  }

  /** The values pushed, in an array of their exact size. */
  finish(): T {
    return this.array.slice(0, this.length) as T;
  }
}

export const growableUint32 = () => new GrowableArray((size) => new Uint32Array(size));
export const growableInt32 = () => new GrowableArray((size) => new Int32Array(size));
export const growableFloat32 = () => new GrowableArray((size) => new Float32Array(size));
export const growableUint8 = () => new GrowableArray((size) => new Uint8Array(size));
export const growableUint16 = () => new GrowableArray((size) => new Uint16Array(size));
