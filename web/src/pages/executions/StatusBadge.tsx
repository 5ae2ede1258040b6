// The status of an execution or a step as a coloured badge; tests find it by
// data-testid and read data-status.
export function StatusBadge({ status, testId = 'status' }: { status: string; testId?: string }) {
  return (
    <span className={`badge ${status}`} data-testid={testId} data-status={status}>
      {status}
    </span>
  );
}
