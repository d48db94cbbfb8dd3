-- CreateEnum
CREATE TYPE "LicenseTypeStatus" AS ENUM ('active', 'retired');

-- CreateTable
CREATE TABLE "license_type" (
    "id" UUID NOT NULL,
    "code" VARCHAR(21) NOT NULL,
    "version" INTEGER NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "issuing_authority" VARCHAR(200) NOT NULL,
    "field_schema" JSONB NOT NULL,
    "status" "LicenseTypeStatus" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "license_type_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "license_type_code_version_key" ON "license_type"("code", "version");
