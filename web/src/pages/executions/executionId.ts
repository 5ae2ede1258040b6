// A short form of an execution id for tables and titles. Execution ids are
// time-ordered UUIDs (v7) whose first characters are alike for executions
// started close together, so the short form keeps the head and the tail.
export function shortExecutionId(id: string): string {
  return id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}
