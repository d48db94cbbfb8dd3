-- CreateEnum
CREATE TYPE "RefundState" AS ENUM ('requested', 'unit_approved', 'finance_approved', 'executed', 'rejected');

-- AlterTable
ALTER TABLE "payment_notice" ADD COLUMN     "refund_reserved_fen" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "refund" (
    "id" UUID NOT NULL,
    "notice_id" UUID NOT NULL,
    "batch_id" UUID,
    "amount_fen" BIGINT NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "unit_initiated" BOOLEAN NOT NULL DEFAULT false,
    "state" "RefundState" NOT NULL DEFAULT 'requested',
    "requested_by" VARCHAR(100) NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "review_due_at" TIMESTAMPTZ(3) NOT NULL,
    "reviewed_by" VARCHAR(100),
    "reviewed_at" TIMESTAMPTZ(3),
    "approval_due_at" TIMESTAMPTZ(3),
    "approved_by" VARCHAR(100),
    "approved_at" TIMESTAMPTZ(3),
    "payment_due_at" TIMESTAMPTZ(3),
    "executed_at" TIMESTAMPTZ(3),
    "rejected_reason" VARCHAR(500),

    CONSTRAINT "refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suspense_entry" (
    "id" UUID NOT NULL,
    "channel" VARCHAR(32) NOT NULL,
    "bank_serial" VARCHAR(64) NOT NULL,
    "payment_code" VARCHAR(20) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "reason" VARCHAR(64) NOT NULL,
    "statement_date" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suspense_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_run" (
    "channel" VARCHAR(32) NOT NULL,
    "statement_date" DATE NOT NULL,
    "report" JSONB NOT NULL,
    "ran_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reconciliation_run_pkey" PRIMARY KEY ("channel","statement_date")
);

-- CreateIndex
CREATE INDEX "refund_notice_id_idx" ON "refund"("notice_id");

-- CreateIndex
CREATE INDEX "refund_state_idx" ON "refund"("state");

-- CreateIndex
CREATE UNIQUE INDEX "suspense_entry_channel_bank_serial_key" ON "suspense_entry"("channel", "bank_serial");

-- Refund requests (not rejected) never exceed what was paid, and executed refunds never exceed
-- what was requested: together with refunded_fen <= paid_fen this makes over-refunding impossible.
ALTER TABLE "payment_notice" ADD CONSTRAINT "payment_notice_refund_reserved" CHECK (
  "refund_reserved_fen" >= "refunded_fen" AND "refund_reserved_fen" <= "paid_fen"
);
ALTER TABLE "refund" ADD CONSTRAINT "refund_amount_positive" CHECK ("amount_fen" > 0);
ALTER TABLE "suspense_entry" ADD CONSTRAINT "suspense_entry_amount_positive" CHECK ("amount_fen" > 0);
