-- CreateEnum
CREATE TYPE "NoticeState" AS ENUM ('issued', 'paid', 'settled', 'expired', 'cancelled', 'partially_refunded', 'refunded');

-- CreateEnum
CREATE TYPE "PayerKind" AS ENUM ('natural_person', 'legal_person');

-- AlterTable
ALTER TABLE "payment_item" ADD COLUMN     "category" CHAR(2) NOT NULL DEFAULT '01';

-- CreateTable
CREATE TABLE "collecting_unit" (
    "credit_code" VARCHAR(18) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "webhook_url" VARCHAR(500),
    "webhook_secret" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "collecting_unit_pkey" PRIMARY KEY ("credit_code")
);

-- CreateTable
CREATE TABLE "unit_client" (
    "client_id" VARCHAR(100) NOT NULL,
    "unit_code" VARCHAR(18) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "unit_client_pkey" PRIMARY KEY ("client_id")
);

-- CreateTable
CREATE TABLE "payment_notice" (
    "id" UUID NOT NULL,
    "payment_code" CHAR(20) NOT NULL,
    "unit_code" VARCHAR(18) NOT NULL,
    "client_id" VARCHAR(100) NOT NULL,
    "payer_kind" "PayerKind" NOT NULL,
    "payer_id" VARCHAR(18) NOT NULL,
    "payer_name" VARCHAR(200) NOT NULL,
    "total_fen" BIGINT NOT NULL,
    "paid_fen" BIGINT NOT NULL DEFAULT 0,
    "refunded_fen" BIGINT NOT NULL DEFAULT 0,
    "due_date" DATE NOT NULL,
    "state" "NoticeState" NOT NULL DEFAULT 'issued',
    "event_seq" INTEGER NOT NULL DEFAULT 0,
    "remark" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),
    "settled_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "recovery_checked_at" TIMESTAMPTZ(3),

    CONSTRAINT "payment_notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notice_line" (
    "notice_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "item_code" VARCHAR(32) NOT NULL,
    "item_name" VARCHAR(200) NOT NULL,
    "destination" "Destination" NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "basis" JSONB,

    CONSTRAINT "notice_line_pkey" PRIMARY KEY ("notice_id","line_no")
);

-- CreateTable
CREATE TABLE "idempotency_key" (
    "client_id" VARCHAR(100) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "notice_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("client_id","key")
);

-- CreateTable
CREATE TABLE "channel_payment" (
    "id" UUID NOT NULL,
    "channel" VARCHAR(32) NOT NULL,
    "bank_serial" VARCHAR(64) NOT NULL,
    "notice_id" UUID NOT NULL,
    "payment_code" CHAR(20) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3) NOT NULL,
    "outlet" VARCHAR(100) NOT NULL,
    "pay_mode" VARCHAR(32) NOT NULL,
    "payer_name" VARCHAR(200) NOT NULL,
    "payer_account" VARCHAR(64) NOT NULL,
    "payer_bank" VARCHAR(100) NOT NULL,
    "source" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_transfer" (
    "id" VARCHAR(100) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "notice_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_transfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_posting" (
    "id" BIGSERIAL NOT NULL,
    "transfer_id" VARCHAR(100) NOT NULL,
    "account" VARCHAR(64) NOT NULL,
    "debit_fen" BIGINT NOT NULL DEFAULT 0,
    "credit_fen" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ledger_posting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "receipt" (
    "id" UUID NOT NULL,
    "notice_id" UUID NOT NULL,
    "receipt_code" CHAR(8) NOT NULL,
    "receipt_number" CHAR(10) NOT NULL,
    "check_code" CHAR(6) NOT NULL,
    "total_fen" BIGINT NOT NULL,
    "refunded_fen" BIGINT NOT NULL DEFAULT 0,
    "fields" JSONB NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "sealed" BOOLEAN NOT NULL DEFAULT false,
    "sealer" VARCHAR(64),
    "pdf" BYTEA,
    "rendered_at" TIMESTAMPTZ(3),

    CONSTRAINT "receipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_event" (
    "id" UUID NOT NULL,
    "unit_code" VARCHAR(18) NOT NULL,
    "notice_id" UUID,
    "sequence" INTEGER NOT NULL,
    "type" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" VARCHAR(300),
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "payment_notice_payment_code_key" ON "payment_notice"("payment_code");

-- CreateIndex
CREATE INDEX "payment_notice_unit_code_created_at_idx" ON "payment_notice"("unit_code", "created_at");

-- CreateIndex
CREATE INDEX "payment_notice_state_created_at_idx" ON "payment_notice"("state", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "channel_payment_channel_bank_serial_key" ON "channel_payment"("channel", "bank_serial");

-- CreateIndex
CREATE UNIQUE INDEX "channel_payment_notice_id_key" ON "channel_payment"("notice_id");

-- CreateIndex
CREATE INDEX "ledger_transfer_notice_id_idx" ON "ledger_transfer"("notice_id");

-- CreateIndex
CREATE INDEX "ledger_posting_transfer_id_idx" ON "ledger_posting"("transfer_id");

-- CreateIndex
CREATE INDEX "ledger_posting_account_idx" ON "ledger_posting"("account");

-- CreateIndex
CREATE UNIQUE INDEX "receipt_notice_id_key" ON "receipt"("notice_id");

-- CreateIndex
CREATE UNIQUE INDEX "receipt_receipt_code_receipt_number_key" ON "receipt"("receipt_code", "receipt_number");

-- CreateIndex
CREATE INDEX "webhook_event_status_next_attempt_at_idx" ON "webhook_event"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_event_unit_code_created_at_idx" ON "webhook_event"("unit_code", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_event_notice_id_sequence_key" ON "webhook_event"("notice_id", "sequence");

-- AddForeignKey
ALTER TABLE "unit_client" ADD CONSTRAINT "unit_client_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "collecting_unit"("credit_code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notice_line" ADD CONSTRAINT "notice_line_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "payment_notice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_posting" ADD CONSTRAINT "ledger_posting_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "ledger_transfer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Invariants the database enforces itself (the Prisma schema language cannot express them). Code
-- checks the same rules first to give clear errors, these make a violation impossible even for a
-- buggy release, a manual SQL session or a race between replicas.
-- ---------------------------------------------------------------------------------------------

-- Sequences behind payment codes and receipt numbers (shared by every replica).
CREATE SEQUENCE "payment_code_seq" MINVALUE 1 MAXVALUE 999999999 CYCLE;
CREATE SEQUENCE "receipt_number_seq" MINVALUE 1 MAXVALUE 9999999999 CYCLE;

ALTER TABLE "payment_notice"
  ADD CONSTRAINT "payment_notice_code_digits" CHECK ("payment_code" ~ '^[0-9]{20}$'),
  ADD CONSTRAINT "payment_notice_total_positive" CHECK ("total_fen" > 0),
  ADD CONSTRAINT "payment_notice_paid_le_due" CHECK ("paid_fen" >= 0 AND "paid_fen" <= "total_fen"),
  ADD CONSTRAINT "payment_notice_refunded_le_paid" CHECK ("refunded_fen" >= 0 AND "refunded_fen" <= "paid_fen"),
  -- What each state means for the money: unpaid states hold nothing, paid ones the full amount.
  ADD CONSTRAINT "payment_notice_state_amounts" CHECK (
    CASE "state"
      WHEN 'issued' THEN "paid_fen" = 0 AND "refunded_fen" = 0
      WHEN 'expired' THEN "paid_fen" = 0 AND "refunded_fen" = 0
      WHEN 'cancelled' THEN "paid_fen" = 0 AND "refunded_fen" = 0
      WHEN 'paid' THEN "paid_fen" = "total_fen" AND "refunded_fen" = 0 AND "paid_at" IS NOT NULL
      WHEN 'settled' THEN "paid_fen" = "total_fen" AND "refunded_fen" = 0 AND "settled_at" IS NOT NULL
      WHEN 'partially_refunded' THEN "paid_fen" = "total_fen" AND "refunded_fen" > 0 AND "refunded_fen" < "paid_fen"
      WHEN 'refunded' THEN "paid_fen" = "total_fen" AND "refunded_fen" = "paid_fen"
    END
  );

ALTER TABLE "notice_line" ADD CONSTRAINT "notice_line_amount_positive" CHECK ("amount_fen" > 0);
ALTER TABLE "channel_payment" ADD CONSTRAINT "channel_payment_amount_positive" CHECK ("amount_fen" > 0);
ALTER TABLE "webhook_event" ADD CONSTRAINT "webhook_event_sequence_positive" CHECK ("sequence" > 0);
ALTER TABLE "ledger_posting" ADD CONSTRAINT "ledger_posting_one_side" CHECK (
  ("debit_fen" > 0 AND "credit_fen" = 0) OR ("credit_fen" > 0 AND "debit_fen" = 0)
);

-- The adapter that applies migrations without the native engine splits scripts at every
-- semicolon, even inside dollar-quoted bodies, so the PL/pgSQL bodies below are escape strings
-- with \073 (octal for the semicolon) as statement terminator. PostgreSQL reads them unchanged.

-- The notice state machine: issued → paid → settled, issued → expired | cancelled,
-- paid | settled → partially_refunded → refunded (refunds may follow settlement).
CREATE FUNCTION "payment_notice_guard_transition"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."id" <> OLD."id" OR NEW."payment_code" <> OLD."payment_code" OR NEW."total_fen" <> OLD."total_fen"
     OR NEW."unit_code" <> OLD."unit_code" THEN
    RAISE EXCEPTION ''payment notice identity and amount are immutable'' USING ERRCODE = ''check_violation''\073
  END IF\073
  IF NEW."refunded_fen" < OLD."refunded_fen" THEN
    RAISE EXCEPTION ''refunded amount cannot decrease'' USING ERRCODE = ''check_violation''\073
  END IF\073
  IF NEW."state" = OLD."state" THEN
    IF NEW."state" IN (''partially_refunded'') OR NEW."paid_fen" = OLD."paid_fen" THEN
      RETURN NEW\073
    END IF\073
  ELSIF (OLD."state", NEW."state") IN (
      (''issued'', ''paid''), (''issued'', ''expired''), (''issued'', ''cancelled''),
      (''paid'', ''settled''), (''paid'', ''partially_refunded''), (''paid'', ''refunded''),
      (''settled'', ''partially_refunded''), (''settled'', ''refunded''),
      (''partially_refunded'', ''refunded'')) THEN
    RETURN NEW\073
  END IF\073
  RAISE EXCEPTION ''illegal payment notice transition % -> %'', OLD."state", NEW."state"
    USING ERRCODE = ''check_violation''\073
END ';
CREATE TRIGGER "payment_notice_transition" BEFORE UPDATE ON "payment_notice"
  FOR EACH ROW EXECUTE FUNCTION "payment_notice_guard_transition"();

-- A new notice starts issued and unpaid.
CREATE FUNCTION "payment_notice_guard_insert"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."state" <> ''issued'' THEN
    RAISE EXCEPTION ''a payment notice starts issued'' USING ERRCODE = ''check_violation''\073
  END IF\073
  RETURN NEW\073
END ';
CREATE TRIGGER "payment_notice_insert" BEFORE INSERT ON "payment_notice"
  FOR EACH ROW EXECUTE FUNCTION "payment_notice_guard_insert"();

-- Item on-boarding: draft → sandbox_tested → live ⇄ suspended.
CREATE FUNCTION "payment_item_guard_transition"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."status" = OLD."status" OR (OLD."status", NEW."status") IN (
      (''draft'', ''sandbox_tested''), (''sandbox_tested'', ''live''), (''live'', ''suspended''), (''suspended'', ''live'')) THEN
    RETURN NEW\073
  END IF\073
  RAISE EXCEPTION ''illegal payment item transition % -> %'', OLD."status", NEW."status"
    USING ERRCODE = ''check_violation''\073
END ';
CREATE TRIGGER "payment_item_transition" BEFORE UPDATE ON "payment_item"
  FOR EACH ROW EXECUTE FUNCTION "payment_item_guard_transition"();

-- The ledger is append-only: corrections are new transfers, never edits.
CREATE FUNCTION "ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  RAISE EXCEPTION ''the ledger is append-only'' USING ERRCODE = ''check_violation''\073
END ';
CREATE TRIGGER "ledger_transfer_append_only" BEFORE UPDATE OR DELETE ON "ledger_transfer"
  FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
CREATE TRIGGER "ledger_posting_append_only" BEFORE UPDATE OR DELETE ON "ledger_posting"
  FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();

-- Every transfer balances (debits = credits), checked at commit so its postings can be inserted
-- one by one inside the transaction.
CREATE FUNCTION "ledger_transfer_balances"() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  imbalance BIGINT\073
BEGIN
  SELECT COALESCE(SUM("debit_fen"), 0) - COALESCE(SUM("credit_fen"), 0) INTO imbalance
    FROM "ledger_posting" WHERE "transfer_id" = NEW."transfer_id"\073
  IF imbalance <> 0 THEN
    RAISE EXCEPTION ''ledger transfer % does not balance (debits - credits = %)'', NEW."transfer_id", imbalance
      USING ERRCODE = ''check_violation''\073
  END IF\073
  RETURN NULL\073
END ';
CREATE CONSTRAINT TRIGGER "ledger_posting_balanced" AFTER INSERT ON "ledger_posting"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_transfer_balances"();
