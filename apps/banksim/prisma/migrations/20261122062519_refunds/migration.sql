-- AlterTable
ALTER TABLE "channel_switches" ADD COLUMN     "refund_delay_ms" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "refund_fail_percent" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "refund_outage_percent" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "bank_refund" (
    "serial" VARCHAR(32) NOT NULL,
    "merchant_ref" VARCHAR(64) NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "payment_serial" VARCHAR(64) NOT NULL,
    "payment_code" CHAR(20) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "reason" VARCHAR(64),
    "confirmed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "bank_refund_pkey" PRIMARY KEY ("serial")
);

-- CreateIndex
CREATE UNIQUE INDEX "bank_refund_merchant_ref_key" ON "bank_refund"("merchant_ref");

-- CreateIndex
CREATE INDEX "bank_refund_payment_serial_idx" ON "bank_refund"("payment_serial");

-- CreateIndex
CREATE INDEX "bank_refund_payment_code_idx" ON "bank_refund"("payment_code");

-- CreateIndex
CREATE INDEX "bank_refund_confirmed_at_idx" ON "bank_refund"("confirmed_at");

-- Refund serial numbers: RF + date + 10-digit sequence shared by every replica.
CREATE SEQUENCE "bank_refund_serial_seq" MINVALUE 1 MAXVALUE 9999999999 CYCLE;

ALTER TABLE "bank_refund" ADD CONSTRAINT "bank_refund_amount_positive" CHECK ("amount_fen" > 0);
ALTER TABLE "bank_refund" ADD CONSTRAINT "bank_refund_status" CHECK (
  ("status" = 'succeeded' AND "reason" IS NULL) OR ("status" = 'declined' AND "reason" IS NOT NULL)
);
ALTER TABLE "channel_switches" ADD CONSTRAINT "channel_switches_refund_ranges" CHECK (
  "refund_fail_percent" BETWEEN 0 AND 100 AND "refund_outage_percent" BETWEEN 0 AND 100 AND "refund_delay_ms" >= 0
);
