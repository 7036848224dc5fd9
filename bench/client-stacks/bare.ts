/** Reference: a module with no dependencies and nothing to call (the bare handler's init). */

/** Nothing to call. */
export async function complete(): Promise<void> {}

/** Nothing to call. */
export async function heartbeat(): Promise<void> {}

/** Ready as soon as it is imported. */
export async function ready(): Promise<void> {}
