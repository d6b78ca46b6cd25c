/** A rule returns nothing when the value passes, or a description of what was expected. */
export type Rule<T> = (value: T) => string | undefined;
