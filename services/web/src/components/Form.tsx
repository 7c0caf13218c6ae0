import { useEffect, useRef, useState, type InputHTMLAttributes, type MouseEvent, type ReactNode, type Ref } from 'react';

/** Problems with a form, by the id of the input each one is about ('' for the form as a whole). */
export type FieldErrors = Record<string, string>;

/**
 * "There is a problem": every problem of a form, listed above it and focused when the form is
 * refused, each linking to the field it is about (the field also says it, next to its label).
 */
export function ErrorSummary({ errors, focusKey }: { errors: FieldErrors; focusKey: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  // Focus moves here each time a submission is refused (focusKey changes), not on every keystroke.
  useEffect(() => {
    if (focusKey > 0) ref.current?.focus();
  }, [focusKey]);
  if (entries.length === 0) return null;
  const toField = (e: MouseEvent<HTMLAnchorElement>, id: string) => {
    const el = document.getElementById(id);
    if (!el) return;
    e.preventDefault();
    el.focus();
  };
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {entries.map(([id, message]) => (
          <li key={id || 'form'}>
            {id ? (
              <a href={`#${id}`} onClick={(e) => toField(e, id)}>
                {message}
              </a>
            ) : (
              message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A form's refusals: set them all at once, and the summary takes focus. */
export function useFormErrors() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [focusKey, setFocusKey] = useState(0);
  return {
    errors,
    focusKey,
    /** Shows these problems (none: clears them) and, when there are any, focuses the summary. */
    refuse(next: FieldErrors) {
      setErrors(next);
      if (Object.keys(next).length > 0) setFocusKey((k) => k + 1);
    },
    clear: () => setErrors({}),
  };
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;

/**
 * A labelled input with its hint and its error, both read out with it (aria-describedby), and
 * marked invalid while it has an error. `after` goes beside the input (a "Show password" button).
 */
export function TextField({ id, label, hint, error, after, ...input }: { id: string; label: string; hint?: ReactNode; error?: string; after?: ReactNode } & InputProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const field = <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />;
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      )}
      {after ? (
        <div className="with-toggle">
          {field}
          {after}
        </div>
      ) : (
        field
      )}
    </div>
  );
}

/** A password input with its "Show password" toggle. */
export function PasswordField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  autoComplete,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  value: string;
  onChange: (v: string) => void;
  autoComplete: 'new-password' | 'current-password';
}) {
  const [show, setShow] = useState(false);
  return (
    <TextField
      id={id}
      label={label}
      hint={hint}
      error={error}
      name="password"
      type={show ? 'text' : 'password'}
      autoComplete={autoComplete}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      after={
        <button type="button" className="link-button" aria-pressed={show} aria-controls={id} onClick={() => setShow((v) => !v)}>
          {show ? 'Hide password' : 'Show password'}
        </button>
      }
    />
  );
}

/** The six-digit code of an authenticator app (sign-in, and confirming two-factor setup). */
export function SecurityCodeField({ id, hint, value, onChange, ref, invalid }: { id: string; hint: string; value: string; onChange: (digits: string) => void; ref: Ref<HTMLInputElement>; invalid?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={id}>Security code</label>
      <input
        id={id}
        ref={ref}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d{6}"
        maxLength={6}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
        aria-describedby={`${id}-hint`}
        aria-invalid={invalid ? true : undefined}
      />
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
    </div>
  );
}
