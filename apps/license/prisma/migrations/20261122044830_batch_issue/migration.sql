-- CreateEnum
CREATE TYPE "BatchRowOutcome" AS ENUM ('pending', 'issued', 'duplicate', 'error');

-- CreateTable
CREATE TABLE "license_batch" (
    "id" UUID NOT NULL,
    "total" INTEGER NOT NULL,
    "created_by" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "license_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "license_batch_row" (
    "batch_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "case_id" VARCHAR(100),
    "request" JSONB NOT NULL,
    "outcome" "BatchRowOutcome" NOT NULL DEFAULT 'pending',
    "identifier" VARCHAR(200),
    "error_code" VARCHAR(80),
    "error_message" VARCHAR(1000),
    "claimed_until" TIMESTAMPTZ(3),
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "license_batch_row_pkey" PRIMARY KEY ("batch_id","index")
);

-- CreateIndex
CREATE INDEX "license_batch_row_outcome_claimed_until_idx" ON "license_batch_row"("outcome", "claimed_until");

-- AddForeignKey
ALTER TABLE "license_batch_row" ADD CONSTRAINT "license_batch_row_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "license_batch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
