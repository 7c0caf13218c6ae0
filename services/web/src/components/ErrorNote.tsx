/** A refusal or failure, read out as soon as it appears. */
export function ErrorNote({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p className="error-note" role="alert">
      {error}
    </p>
  );
}

export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
