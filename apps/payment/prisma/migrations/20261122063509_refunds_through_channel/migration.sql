-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "RefundState" ADD VALUE 'processing';
ALTER TYPE "RefundState" ADD VALUE 'failed';

-- AlterTable
ALTER TABLE "refund" ADD COLUMN     "channel" VARCHAR(32),
ADD COLUMN     "channel_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "channel_confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "channel_refund_ref" VARCHAR(64),
ADD COLUMN     "failed_reason" VARCHAR(64),
ADD COLUMN     "last_error" VARCHAR(300),
ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "refund_state_next_attempt_at_idx" ON "refund"("state", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "refund_channel_channel_refund_ref_key" ON "refund"("channel", "channel_refund_ref");

-- The refund workflow, enforced by the database: requested → unit_approved → finance_approved →
-- processing (instructed to the channel) → executed | failed; requested | unit_approved → rejected.
-- Staying in a state is allowed (attempt bookkeeping while processing).
CREATE FUNCTION "refund_guard_transition"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."id" <> OLD."id" OR NEW."notice_id" <> OLD."notice_id" OR NEW."amount_fen" <> OLD."amount_fen" THEN
    RAISE EXCEPTION ''refund identity and amount are immutable'' USING ERRCODE = ''check_violation''\073
  END IF\073
  IF NEW."state" = OLD."state" AND OLD."state" NOT IN (''executed'', ''failed'', ''rejected'') THEN
    RETURN NEW\073
  END IF\073
  IF (OLD."state"::text, NEW."state"::text) IN (
      (''requested'', ''unit_approved''), (''requested'', ''rejected''),
      (''unit_approved'', ''finance_approved''), (''unit_approved'', ''rejected''),
      (''finance_approved'', ''processing''),
      (''processing'', ''executed''), (''processing'', ''failed'')) THEN
    RETURN NEW\073
  END IF\073
  RAISE EXCEPTION ''illegal refund transition % -> %'', OLD."state", NEW."state" USING ERRCODE = ''check_violation''\073
END ';
CREATE TRIGGER "refund_transition" BEFORE UPDATE ON "refund"
  FOR EACH ROW EXECUTE FUNCTION "refund_guard_transition"();

-- A refund counts as executed only with the channel's reference (NOT VALID: rows executed before
-- refunds went through the channel have none; every new or updated row is checked).
ALTER TABLE "refund" ADD CONSTRAINT "refund_executed_has_channel_ref" CHECK (
  "state"::text <> 'executed' OR ("channel_refund_ref" IS NOT NULL AND "channel_confirmed_at" IS NOT NULL)
) NOT VALID;
