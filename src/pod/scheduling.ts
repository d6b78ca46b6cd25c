/** How a toleration matches a taint. */
export enum TolerationOperator {
  /** The taint's value must equal the toleration's. */
  EQUAL = 'Equal',
  /** Any value of the key. */
  EXISTS = 'Exists',
}

/** What a taint does to pods that do not tolerate it. */
export enum TaintEffect {
  /** Not scheduled on the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** Scheduled on the node only when nowhere else fits. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Not scheduled, and evicted when running. */
  NO_EXECUTE = 'NoExecute',
}

/** A node taint the pods tolerate (seed 002 `tolerations`). */
export interface TolerationSpec {
  /** Taint key. */
  readonly key: string;
  /**
   * How the value is matched.
   * @default TolerationOperator.EQUAL
   */
  readonly operator?: TolerationOperator;
  /**
   * Taint value (with Equal).
   * @default - none
   */
  readonly value?: string;
  /**
   * The taint effect tolerated.
   * @default - all effects
   */
  readonly effect?: TaintEffect;
}
