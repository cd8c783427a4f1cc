/** Stable codes of the errors Arshif throws; the HTTP layer maps each to a status. */
export type ArshifErrorCode =
  | 'BAD_PARAMETER'
  | 'INVALID_ARTICLE'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'WRITES_DISABLED'
  | 'BAD_INDEX'
  | 'LOCKED'
  | 'IO_ERROR'
  /** Too many searches waiting: the client should retry shortly. */
  | 'OVERLOADED'
  /** A cluster node has not applied the write a read asked to see (`after`) in time: retry shortly. */
  | 'BEHIND'
  /** A cluster's node failed while answering, and no other could answer for it: retry shortly. */
  | 'UNAVAILABLE';

/**
 * An error with a stable `code` and a message that names the bad value.
 *
 * @example throw new ArshifError('BAD_PARAMETER', 'limit must be 1–100, got 500')
 */
export class ArshifError extends Error {
  constructor(
    readonly code: ArshifErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArshifError';
  }
}
