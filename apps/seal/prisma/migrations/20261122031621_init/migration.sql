-- CreateEnum
CREATE TYPE "SealKind" AS ENUM ('official', 'contract', 'finance', 'invoice', 'business');

-- CreateEnum
CREATE TYPE "SealStatus" AS ENUM ('applied', 'approved', 'made', 'filed', 'active', 'suspended', 'lost', 'cancelled', 'expired');

-- CreateTable
CREATE TABLE "seal" (
    "id" UUID NOT NULL,
    "org_code" VARCHAR(18) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "kind" "SealKind" NOT NULL,
    "status" "SealStatus" NOT NULL DEFAULT 'applied',
    "valid_from" TIMESTAMPTZ(3),
    "valid_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "seal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "seal_org_code_idx" ON "seal"("org_code");
