-- CreateTable
CREATE TABLE "bank_payment" (
    "serial" VARCHAR(32) NOT NULL,
    "payment_code" CHAR(20) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "payer_name" VARCHAR(200) NOT NULL,
    "payer_account" VARCHAR(64) NOT NULL,
    "payer_bank" VARCHAR(100) NOT NULL,
    "pay_mode" VARCHAR(32) NOT NULL,
    "outlet" VARCHAR(100) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bank_payment_pkey" PRIMARY KEY ("serial")
);

-- CreateTable
CREATE TABLE "callback_delivery" (
    "id" BIGSERIAL NOT NULL,
    "serial" VARCHAR(32) NOT NULL,
    "copy_no" INTEGER NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "last_error" VARCHAR(300),
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "callback_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_switches" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "delay_ms" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "reorder" BOOLEAN NOT NULL DEFAULT false,
    "loss_percent" INTEGER NOT NULL DEFAULT 0,
    "fail_percent" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "channel_switches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "bank_payment_payment_code_idx" ON "bank_payment"("payment_code");

-- CreateIndex
CREATE INDEX "bank_payment_confirmed_at_idx" ON "bank_payment"("confirmed_at");

-- CreateIndex
CREATE INDEX "callback_delivery_status_due_at_idx" ON "callback_delivery"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "callback_delivery_serial_copy_no_key" ON "callback_delivery"("serial", "copy_no");

-- AddForeignKey
ALTER TABLE "callback_delivery" ADD CONSTRAINT "callback_delivery_serial_fkey" FOREIGN KEY ("serial") REFERENCES "bank_payment"("serial") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Bank serial numbers: BS + date + 10-digit sequence shared by every replica.
CREATE SEQUENCE "bank_serial_seq" MINVALUE 1 MAXVALUE 9999999999 CYCLE;

ALTER TABLE "bank_payment" ADD CONSTRAINT "bank_payment_amount_positive" CHECK ("amount_fen" > 0);
ALTER TABLE "bank_payment" ADD CONSTRAINT "bank_payment_status" CHECK ("status" IN ('succeeded', 'declined'));
ALTER TABLE "callback_delivery" ADD CONSTRAINT "callback_delivery_status" CHECK ("status" IN ('pending', 'delivered', 'lost', 'failed'));
ALTER TABLE "channel_switches" ADD CONSTRAINT "channel_switches_single_row" CHECK ("id" = 1);
ALTER TABLE "channel_switches" ADD CONSTRAINT "channel_switches_ranges" CHECK (
  "delay_ms" >= 0 AND "duplicates" >= 0 AND "loss_percent" BETWEEN 0 AND 100 AND "fail_percent" BETWEEN 0 AND 100
);
INSERT INTO "channel_switches" ("id") VALUES (1);
