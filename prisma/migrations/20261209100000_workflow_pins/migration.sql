-- Pinned step outputs of a workflow's draft: `{ "<nodeId>": { "output": …, "pinnedAt": …,
-- "pinnedBy": …, "fromRunId": … } }`. Test runs of the draft use them; published runs never do.
ALTER TABLE "Workflow" ADD COLUMN "pins" JSONB NOT NULL DEFAULT '{}';
