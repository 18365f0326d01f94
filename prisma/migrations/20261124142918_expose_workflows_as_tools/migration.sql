-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN     "exposeAsTool" BOOLEAN NOT NULL DEFAULT false;
