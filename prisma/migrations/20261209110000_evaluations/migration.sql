-- Test cases, evaluations and their results (lib/evaluations), and each workflow's suite:
-- its evaluators and publish gate.
ALTER TABLE "Workflow" ADD COLUMN "suite" JSONB NOT NULL DEFAULT '{}';
-- An admin's reason for publishing a version over a gate that did not pass.
ALTER TABLE "WorkflowVersion" ADD COLUMN "gateOverride" TEXT;

CREATE TABLE "EvalCase" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "expected" JSONB,
    "rubric" TEXT NOT NULL DEFAULT '',
    "sourceRunId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EvalCase_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "EvalCase_workflowId_createdAt_idx" ON "EvalCase"("workflowId", "createdAt");

CREATE TABLE "Evaluation" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "version" INTEGER,
    "graph" JSONB NOT NULL,
    "evaluators" JSONB NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "passed" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "startedById" TEXT,
    "cancelRequestedAt" TIMESTAMP(3),
    "driverSeenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Evaluation_workflowId_createdAt_idx" ON "Evaluation"("workflowId", "createdAt");

CREATE TABLE "EvaluationResult" (
    "id" TEXT NOT NULL,
    "evaluationId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "runId" TEXT,
    "passed" BOOLEAN,
    "scores" JSONB,
    "output" JSONB,
    "error" TEXT,
    "latencyMs" INTEGER,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    CONSTRAINT "EvaluationResult_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "EvaluationResult_evaluationId_caseId_key" ON "EvaluationResult"("evaluationId", "caseId");
ALTER TABLE "EvaluationResult" ADD CONSTRAINT "EvaluationResult_evaluationId_fkey"
    FOREIGN KEY ("evaluationId") REFERENCES "Evaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
