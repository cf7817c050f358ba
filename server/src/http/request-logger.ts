import type { FastifyBaseLogger, FastifyServerOptions, LogLevel } from 'fastify';

type Factory = NonNullable<FastifyServerOptions['childLoggerFactory']>;
type Bindings = Parameters<Factory>[1];
type ChildLoggerOptions = Parameters<Factory>[2];

type Level = Exclude<LogLevel, 'silent'>;
type Args = Parameters<FastifyBaseLogger['info']>;

/** The parent loggers Fastify hands the factory are pino loggers, which can say whether a level is on. */
interface PinoParent extends FastifyBaseLogger {
  isLevelEnabled(level: string): boolean;
}

/**
 * A request's logger, made when the request first logs. Fastify gives every request a pino child
 * carrying its request id; making it (the bindings serialised, the redaction and serializers
 * carried over) cost ~13 µs a request on this machine — more than all our own hooks on the
 * public tracking lookup together — although at LOG_LEVEL=warn almost no request logs a line.
 * A call at a level the parent writes makes the real child then, so every line still carries
 * its request id (and the instance); a call at a level that is off costs one check. Written here
 * because pino has no lazy child and Fastify's only seam for one is this factory.
 */
export class LazyRequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: PinoParent,
    private readonly childBindings: Bindings,
    private readonly childOptions: ChildLoggerOptions,
  ) {}

  /** Whether this request's logger has been made (for tests). */
  get made(): boolean {
    return this.#child !== undefined;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.childBindings, this.childOptions);
    return this.#child;
  }

  #log(level: Level, args: Args): void {
    if (!this.#child && !this.parent.isLevelEnabled(level)) return;
    const child = this.#real();
    (child[level] as (...a: Args) => void).apply(child, args);
  }

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return this.#child ? (this.#child as PinoParent).isLevelEnabled(level) : this.parent.isLevelEnabled(level);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }

  fatal(...args: Args): void {
    this.#log('fatal', args);
  }
  error(...args: Args): void {
    this.#log('error', args);
  }
  warn(...args: Args): void {
    this.#log('warn', args);
  }
  info(...args: Args): void {
    this.#log('info', args);
  }
  debug(...args: Args): void {
    this.#log('debug', args);
  }
  trace(...args: Args): void {
    this.#log('trace', args);
  }
  silent(): void {}
}

/** Fastify's `childLoggerFactory`: a lazy child per request (a plain child under a logger that is not pino's). */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (typeof (logger as Partial<PinoParent>).isLevelEnabled !== 'function') return logger.child(bindings, options);
  return new LazyRequestLogger(logger as PinoParent, bindings, options);
}
