/** A message box: errors in red, notices in blue. Announced to screen readers. */
export function Alert({
  tone = "error",
  children,
  testId,
}: {
  tone?: "error" | "info" | "success";
  children: React.ReactNode;
  testId?: string;
}) {
  const styles = {
    error: "bg-red-50 text-red-800 ring-red-200",
    info: "bg-brand-50 text-brand-700 ring-brand-100",
    success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  }[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      data-testid={testId}
      className={`rounded-md px-3 py-2 text-sm ring-1 ring-inset ${styles}`}
    >
      {children}
    </div>
  );
}
