-- CreateEnum
CREATE TYPE "ItemStatus" AS ENUM ('draft', 'sandbox_tested', 'live', 'suspended');

-- CreateEnum
CREATE TYPE "Destination" AS ENUM ('treasury', 'fiscal_special_account');

-- CreateTable
CREATE TABLE "payment_item" (
    "id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "unit_code" VARCHAR(18) NOT NULL,
    "legal_basis" VARCHAR(500) NOT NULL,
    "amount_rule" JSONB NOT NULL,
    "destination" "Destination" NOT NULL,
    "status" "ItemStatus" NOT NULL DEFAULT 'draft',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payment_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "payment_item_code_key" ON "payment_item"("code");
