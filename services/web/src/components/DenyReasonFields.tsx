import { useState } from 'react';
import type { DenyReasonCode } from '@am/contracts';
import { ApiError, type DenyReason } from '../api/client';
import { DENY_REASON_CHOICES, denyReasonProblem } from '../decisions';
import { messageOf } from './ErrorNote';

export interface DenyReasonErrors {
  reasonCode?: string;
  reason?: string;
}

/**
 * Why a request is denied: one of the five reason codes (no default, the decider must choose),
 * and a free-text reason, required only for "Other". Each choice shows what the requester reads.
 */
export function DenyReasonFields({
  idPrefix,
  code,
  reason,
  errors,
  onCode,
  onReason,
}: {
  idPrefix: string;
  code: DenyReasonCode | null;
  reason: string;
  errors: DenyReasonErrors;
  onCode: (c: DenyReasonCode) => void;
  onReason: (r: string) => void;
}) {
  const reasonId = `${idPrefix}-reason`;
  const required = code === 'OTHER';
  return (
    <>
      <fieldset className={errors.reasonCode ? 'field has-error' : 'field'} aria-describedby={errors.reasonCode ? `${idPrefix}-code-error` : undefined}>
        <legend>Why are you denying?</legend>
        {errors.reasonCode && (
          <p id={`${idPrefix}-code-error`} className="field-error">
            <span className="sr-only">Error: </span>
            {errors.reasonCode}
          </p>
        )}
        {DENY_REASON_CHOICES.map((c) => (
          <label key={c.code} className="choice">
            <input type="radio" name={`${idPrefix}-code`} value={c.code} checked={code === c.code} onChange={() => onCode(c.code)} />
            <span>
              {c.label}
              <span className="hint reason-reads">They will read: “{c.requesterReads}”</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className={errors.reason ? 'field has-error' : 'field'}>
        <label htmlFor={reasonId}>{required ? 'Reason (required for “Other”)' : 'Reason (optional)'}</label>
        {errors.reason && (
          <p id={`${reasonId}-error`} className="field-error">
            <span className="sr-only">Error: </span>
            {errors.reason}
          </p>
        )}
        <textarea
          id={reasonId}
          value={reason}
          maxLength={1000}
          rows={3}
          aria-required={required}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? `${reasonId}-error` : undefined}
          onChange={(e) => onReason(e.target.value)}
        />
      </div>
    </>
  );
}

/**
 * The state of a deny form: the chosen code and reason, the problems at each field (the web UI's
 * own check, or the API's 400 naming the field), and a problem of the form as a whole.
 */
export function useDenyReason() {
  const [code, setCode] = useState<DenyReasonCode | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<DenyReasonErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  return {
    fields: { code, reason, errors, onCode: setCode, onReason: setReason },
    /** The reason to send, or null after showing what is missing. */
    check(): DenyReason | null {
      setFormError(null);
      const problem = denyReasonProblem(code, reason);
      setErrors(problem ? { [problem.field]: problem.message } : {});
      if (problem || !code) return null;
      return { reasonCode: code, reason: reason.trim() || undefined };
    },
    /** Shows a refusal: at its field when the API names reason or reasonCode, otherwise for the form. */
    refused(err: unknown) {
      if (err instanceof ApiError && err.status === 400 && (err.field === 'reason' || err.field === 'reasonCode')) setErrors({ [err.field]: err.message });
      else setFormError(messageOf(err));
    },
    formError,
  };
}
