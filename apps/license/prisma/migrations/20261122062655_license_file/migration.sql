-- CreateEnum
CREATE TYPE "LicenseFileState" AS ENUM ('pending_seal', 'sealed');

-- CreateTable
CREATE TABLE "license_file" (
    "license_id" UUID NOT NULL,
    "state" "LicenseFileState" NOT NULL DEFAULT 'pending_seal',
    "rendered_pdf" BYTEA,
    "seal_anchor" JSONB,
    "sealed_pdf" BYTEA,
    "sha256" VARCHAR(64),
    "seal_id" UUID,
    "signature" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "sealed_at" TIMESTAMPTZ(3),

    CONSTRAINT "license_file_pkey" PRIMARY KEY ("license_id")
);

-- CreateIndex
CREATE INDEX "license_file_state_next_attempt_at_idx" ON "license_file"("state", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "license_file" ADD CONSTRAINT "license_file_license_id_fkey" FOREIGN KEY ("license_id") REFERENCES "license"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A file is sealed only with the sealed bytes and their digest: nothing can mark it sealed without them.
ALTER TABLE "license_file" ADD CONSTRAINT "license_file_sealed_has_pdf"
  CHECK ("state" <> 'sealed' OR ("sealed_pdf" IS NOT NULL AND "sha256" IS NOT NULL AND "seal_id" IS NOT NULL AND "sealed_at" IS NOT NULL));
