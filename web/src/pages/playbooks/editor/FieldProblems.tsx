// atio's messages about one field, shown right under it.
export function FieldProblems({ messages }: { messages: string[] }) {
  if (!messages.length) return null;
  return (
    <ul className="pb-field-problems" data-testid="field-problem">
      {messages.map((m, i) => (
        <li key={i}>⚠ {m}</li>
      ))}
    </ul>
  );
}
