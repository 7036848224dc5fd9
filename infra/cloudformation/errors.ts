/** `jobs/queues.json` describes queues the deployed stack cannot safely have; `problems` says what to change. */
export class QueueDefinitionError extends Error {
  override readonly name = 'QueueDefinitionError';

  constructor(readonly problems: readonly string[]) {
    super(`jobs/queues.json needs changes before it can be deployed:\n- ${problems.join('\n- ')}`);
  }
}
