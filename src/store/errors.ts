/** D1 reports constraint failures only in the message text. */
export function isConstraintViolation(error: unknown, kind: 'UNIQUE' | 'FOREIGN KEY'): boolean {
  return error instanceof Error && error.message.includes(`${kind} constraint failed`);
}
