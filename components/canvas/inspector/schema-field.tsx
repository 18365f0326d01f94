"use client";

import { useId } from "react";
import { Checklist, control, StringList } from "./choice-fields";
import { blankValue, type JsonSchema } from "./json-schema";
import { TemplateInput, type ReferenceOption } from "./template-input";
import { ModelPicker } from "./model-picker";
import { ToolPicker, ToolsChecklist } from "./tool-picker";
import { WorkflowPicker } from "./workflow-picker";

export interface FieldContext {
  errors: Map<string, string>;
  references: ReferenceOption[];
  /** The workflow being edited, so a Sub-workflow cannot pick itself. */
  workflowId?: string;
}

/** One field of a generated form, chosen by its JSON Schema type and widget. */
export function SchemaField({
  name,
  path,
  schema,
  value,
  onChange,
  ctx,
}: {
  name: string;
  path: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  ctx: FieldContext;
}) {
  const id = useId();
  const error = ctx.errors.get(path);
  const label = schema.title ?? name;
  const described = error ? `${id}-error` : schema.description ? `${id}-help` : undefined;
  const common = { id, "aria-invalid": !!error || undefined, "aria-describedby": described };

  let input: React.ReactNode;
  if (schema.type === "boolean") {
    return (
      <div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
            className="size-4 rounded border-slate-300 text-brand-600"
          />
          {label}
        </label>
        {error && <p className="mt-1 text-xs text-red-600">{error}</p>}
      </div>
    );
  } else if (schema.type === "array" && schema.items?.type === "object") {
    return (
      <ObjectList
        label={label}
        path={path}
        schema={schema}
        value={Array.isArray(value) ? value : []}
        onChange={onChange}
        ctx={ctx}
      />
    );
  } else if (schema.type === "array" && schema.widget === "checklist" && schema.items?.enum) {
    return (
      <Checklist
        label={label}
        options={schema.items.enum}
        labels={schema.optionLabels ?? {}}
        value={Array.isArray(value) ? (value as string[]) : []}
        onChange={onChange}
        error={error}
      />
    );
  } else if (schema.type === "array" && schema.widget === "tools") {
    input = <ToolsChecklist id={id} value={Array.isArray(value) ? (value as string[]) : []} onChange={onChange} />;
  } else if (schema.type === "array") {
    input = <StringList {...common} value={Array.isArray(value) ? (value as string[]) : []} onChange={onChange} />;
  } else if (schema.enum) {
    input = (
      <select {...common} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)} className={control}>
        {schema.enum.map((o) => (
          <option key={o} value={o}>
            {schema.optionLabels?.[o] ?? o.toLowerCase()}
          </option>
        ))}
      </select>
    );
  } else if (schema.type === "integer" || schema.type === "number") {
    input = (
      <input
        {...common}
        type="number"
        min={schema.minimum}
        max={schema.maximum}
        value={typeof value === "number" ? value : ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        className={control}
      />
    );
  } else if (schema.widget === "tool") {
    input = <ToolPicker {...common} value={String(value ?? "")} onChange={onChange} />;
  } else if (schema.widget === "model") {
    input = <ModelPicker {...common} value={String(value ?? "")} onChange={onChange} optional={!schema.minLength} />;
  } else if (schema.widget === "workflow") {
    input = <WorkflowPicker {...common} value={String(value ?? "")} onChange={onChange} excludeId={ctx.workflowId} />;
  } else if (
    schema.widget === "template" ||
    schema.widget === "expression" ||
    schema.widget === "code" ||
    schema.widget === "json"
  ) {
    input = (
      <TemplateInput
        {...common}
        value={String(value ?? "")}
        onChange={onChange}
        options={
          schema.widget === "template"
            ? ctx.references
            : schema.widget === "expression"
              ? // An expression reads the steps' outputs (not variables or secrets), without braces.
                ctx.references.filter((r) => r.value.startsWith("nodes."))
              : []
        }
        bare={schema.widget === "expression"}
        rows={schema.widget === "code" ? 10 : schema.widget === "json" ? 5 : schema.widget === "expression" ? 2 : 3}
        mono={schema.widget !== "template"}
        invalid={!!error}
      />
    );
  } else if (schema.widget === "textarea" || schema.widget === "markdown") {
    input = (
      <textarea
        {...common}
        rows={4}
        value={String(value ?? "")}
        onChange={(e) => onChange(e.target.value)}
        className={control}
      />
    );
  } else {
    input = (
      <input
        {...common}
        type="text"
        value={String(value ?? "")}
        onChange={(e) => onChange(e.target.value)}
        className={control}
      />
    );
  }

  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {input}
      {error ? (
        <p id={`${id}-error`} className="text-xs text-red-600">
          {error}
        </p>
      ) : (
        schema.description && (
          <p id={`${id}-help`} className="text-xs text-slate-500">
            {schema.description}
          </p>
        )
      )}
    </div>
  );
}

/** A list of objects (branches, arguments, input fields): each a small sub-form. */
function ObjectList({
  label,
  path,
  schema,
  value,
  onChange,
  ctx,
}: {
  label: string;
  path: string;
  schema: JsonSchema;
  value: unknown[];
  onChange: (v: unknown) => void;
  ctx: FieldContext;
}) {
  const item = schema.items!;
  const error = ctx.errors.get(path);
  return (
    <fieldset className="space-y-2">
      <legend className="text-xs font-medium text-slate-700">{label}</legend>
      {schema.description && <p className="text-xs text-slate-500">{schema.description}</p>}
      {value.map((entry, i) => (
        <div
          key={i}
          className="relative space-y-2 rounded-md bg-slate-50 p-2.5 ring-1 ring-slate-200"
          data-testid={`${path}-${i}`}
        >
          <button
            type="button"
            aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
            className="absolute top-1.5 right-1.5 rounded px-1.5 text-xs text-slate-500 hover:bg-slate-200"
          >
            ×
          </button>
          {Object.entries(item.properties ?? {}).map(([key, s]) => (
            <SchemaField
              key={key}
              name={key}
              path={`${path}.${i}.${key}`}
              schema={s}
              value={(entry as Record<string, unknown>)?.[key]}
              onChange={(v) => onChange(value.map((e, j) => (j === i ? { ...(e as object), [key]: v } : e)))}
              ctx={ctx}
            />
          ))}
        </div>
      ))}
      <button
        type="button"
        onClick={() => onChange([...value, blankValue(item)])}
        className="text-xs font-medium text-brand-600 hover:underline"
      >
        + Add {schema.itemLabel ?? "entry"}
      </button>
      {error && <p className="text-xs text-red-600">{error}</p>}
    </fieldset>
  );
}
