import { useId, type InputHTMLAttributes, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-brand-500 aria-invalid:ring-red-400";

/** A label above a control, its hint or error under it, wired for screen readers. */
export function Labelled({
  label,
  error,
  hint,
  control,
}: {
  label: string;
  error?: string;
  hint?: string;
  /** The control, given its id and the attributes that tie it to the hint or error. */
  control: (wiring: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => React.ReactNode;
}) {
  const id = useId();
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {control({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
      })}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled text input with its error under it, wired for screen readers; `className` adds to its look. */
export function TextField({
  label,
  error,
  hint,
  className = "",
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; hint?: string }) {
  return (
    <Labelled
      label={label}
      error={error}
      hint={hint}
      control={(wiring) => <input {...wiring} className={`${control} ${className}`} {...rest} />}
    />
  );
}

/** A labelled text area (monospaced: it holds code or JSON) with its error under it. */
export function TextAreaField({
  label,
  error,
  hint,
  className = "",
  ...rest
}: TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: string;
  error?: string;
  hint?: string;
  ref?: React.Ref<HTMLTextAreaElement>;
}) {
  return (
    <Labelled
      label={label}
      error={error}
      hint={hint}
      control={(wiring) => <textarea {...wiring} className={`${control} font-mono text-xs ${className}`} {...rest} />}
    />
  );
}

/** A labelled select, with a hint and its error under it like the other fields. */
export function SelectField({
  label,
  options,
  error,
  hint,
  className = "",
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  options: { value: string; label: string; disabled?: boolean }[];
  error?: string;
  hint?: string;
}) {
  return (
    <Labelled
      label={label}
      error={error}
      hint={hint}
      control={(wiring) => (
        <select {...wiring} className={`${control} ${className}`} {...rest}>
          {options.map((o) => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
