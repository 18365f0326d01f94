/** The model form's shared pieces: field styles and a number input that may be left empty. */

export const fieldInput =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400";
export const fieldLabel = "block text-xs font-medium text-slate-600";

const numberOrNull = (v: string) => (v.trim() === "" ? null : Number(v));

export function Num({
  text,
  value,
  onChange,
  step,
  error,
  testId,
}: {
  text: string;
  value: number | null;
  onChange: (v: number | null) => void;
  step?: string;
  error?: string;
  testId?: string;
}) {
  return (
    <label className="space-y-1">
      <span className={fieldLabel}>{text}</span>
      <input
        type="number"
        step={step ?? "1"}
        min="0"
        className={fieldInput}
        value={value ?? ""}
        aria-invalid={!!error || undefined}
        data-testid={testId}
        onChange={(e) => onChange(numberOrNull(e.target.value))}
      />
      {error && <span className="block text-xs text-red-600">{error}</span>}
    </label>
  );
}
