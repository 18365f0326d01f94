-- The organization's view of every team's tool calls reads them newest first, across workspaces.
CREATE INDEX "ToolCallAudit_at_idx" ON "ToolCallAudit"("at");
