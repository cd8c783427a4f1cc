/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for answers), made to compile a
 * route's schemas after the service is listening rather than before.
 */
import AjvCompiler, { type ValidatorFactory } from '@fastify/ajv-compiler';
import SerializerSelector, { type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

type ValidatorCompiler = ReturnType<ValidatorFactory>;
type Validator = ReturnType<ValidatorCompiler>;
type SerializerCompiler = ReturnType<SerializerFactory>;
type Serializer = ReturnType<SerializerCompiler>;

/**
 * The validators and serializers Fastify would make, each compiled when first called or, once the
 * service listens, by {@link compileRest}. Compiling every route's schemas before listening was a fifth
 * of `serve`'s start-up (a one-article archive: 0.11 s of 0.6 s).
 *
 * - Ajv's instance and fast-json-stringify's are made on their first compile, with Fastify's options.
 * - A validator's `errors` (which Fastify reads after a failed validation) are those of its last call.
 */
export class LazySchemas {
  /** Compiles of schemas not compiled yet, each removing itself when run. */
  private readonly waiting = new Set<() => unknown>();

  constructor(
    private readonly validatorFactory: ValidatorFactory = AjvCompiler(),
    private readonly serializerFactory: SerializerFactory = SerializerSelector(),
  ) {}

  /** Schemas left to compile. */
  get uncompiled(): number {
    return this.waiting.size;
  }

  /** Fastify's `schemaController.compilersFactory.buildValidator`. */
  readonly validators = ((
    externalSchemas: Parameters<ValidatorFactory>[0],
    options: Parameters<ValidatorFactory>[1],
  ) => {
    let compiler: ValidatorCompiler | undefined;
    return (route: Parameters<ValidatorCompiler>[0]) => {
      const compile = this.deferred(() =>
        (compiler ??= this.validatorFactory(externalSchemas, options))(route),
      );
      const validate = ((data: unknown) => {
        const compiled = compile();
        const result = compiled(data);
        validate.errors = compiled.errors;
        return result;
      }) as Validator;
      return validate;
    };
  }) as ValidatorFactory;

  /** Fastify's `schemaController.compilersFactory.buildSerializer`. */
  readonly serializers: SerializerFactory = (externalSchemas, options) => {
    let compiler: SerializerCompiler | undefined;
    return (route) => {
      const compile = this.deferred<Serializer>(() =>
        (compiler ??= this.serializerFactory(externalSchemas, options))(route),
      );
      return (data) => compile()(data);
    };
  };

  /**
   * Compiles the schemas no request has needed yet, one per turn of the event loop, so that requests
   * go in between. A schema that fails to compile is left for its route's first request to report.
   */
  compileRest(): void {
    const next = this.waiting.values().next();
    if (next.done === true) return;
    try {
      next.value();
    } catch {
      this.waiting.delete(next.value);
    }
    setImmediate(() => this.compileRest()).unref();
  }

  /** `compile` run once, when first called or by {@link compileRest}. */
  private deferred<T>(compile: () => T): () => T {
    let compiled: { value: T } | undefined;
    const once = (): T => {
      if (compiled === undefined) {
        compiled = { value: compile() };
        this.waiting.delete(once);
      }
      return compiled.value;
    };
    this.waiting.add(once);
    return once;
  }
}
