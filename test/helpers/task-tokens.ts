/** A byte string shaped like a Temporal task token (a protobuf message), for tests that need a well-formed one. */
export function fakeTaskToken(workflowId = 'wf-1'): Buffer {
  const field = (tag: number, text: string): Buffer => Buffer.concat([Buffer.from([tag, Buffer.byteLength(text)]), Buffer.from(text)]);
  return Buffer.concat([field(0x0a, '6f0d2a1c-namespace-id'), field(0x12, workflowId), Buffer.from([0x28, 0x01])]);
}
