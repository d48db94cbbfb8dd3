-- CreateEnum
CREATE TYPE "CertificateRole" AS ENUM ('root', 'issuing', 'tsa', 'seal');

-- CreateEnum
CREATE TYPE "KeyAlgorithm" AS ENUM ('rsa_2048', 'ecdsa_p256');

-- CreateEnum
CREATE TYPE "UsageRequestStatus" AS ENUM ('pending', 'approved', 'rejected', 'used');

-- AlterTable
ALTER TABLE "seal" ADD COLUMN     "applied_by" VARCHAR(200) NOT NULL,
ADD COLUMN     "certificate_id" UUID,
ADD COLUMN     "filing_number" VARCHAR(64),
ADD COLUMN     "height_mm" INTEGER NOT NULL,
ADD COLUMN     "key_algorithm" "KeyAlgorithm" NOT NULL,
ADD COLUMN     "org_name" VARCHAR(200) NOT NULL,
ADD COLUMN     "width_mm" INTEGER NOT NULL;

-- CreateTable
CREATE TABLE "certificate" (
    "id" UUID NOT NULL,
    "role" "CertificateRole" NOT NULL,
    "serial" VARCHAR(42) NOT NULL,
    "common_name" VARCHAR(200) NOT NULL,
    "key_algorithm" "KeyAlgorithm" NOT NULL,
    "der" BYTEA NOT NULL,
    "sealed_key" BYTEA NOT NULL,
    "kek_id" VARCHAR(16) NOT NULL,
    "development_key" BOOLEAN NOT NULL,
    "issuer_id" UUID,
    "not_before" TIMESTAMPTZ(3) NOT NULL,
    "not_after" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revocation_reason" VARCHAR(32),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "revocation_list" (
    "issuer_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "der" BYTEA NOT NULL,
    "this_update" TIMESTAMPTZ(3) NOT NULL,
    "next_update" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "revocation_list_pkey" PRIMARY KEY ("issuer_id")
);

-- CreateTable
CREATE TABLE "seal_event" (
    "id" UUID NOT NULL,
    "seal_id" UUID NOT NULL,
    "from_status" "SealStatus",
    "to_status" "SealStatus" NOT NULL,
    "actor" VARCHAR(200) NOT NULL,
    "reason" VARCHAR(500),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "seal_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seal_authorization" (
    "id" UUID NOT NULL,
    "seal_id" UUID NOT NULL,
    "subjects" TEXT[],
    "document_types" TEXT[],
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "max_uses" INTEGER,
    "used_count" INTEGER NOT NULL DEFAULT 0,
    "requires_approval" BOOLEAN NOT NULL,
    "approvers" TEXT[],
    "granted_by" VARCHAR(200) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "seal_authorization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_request" (
    "id" UUID NOT NULL,
    "authorization_id" UUID NOT NULL,
    "requested_by" VARCHAR(200) NOT NULL,
    "document_type" VARCHAR(100) NOT NULL,
    "purpose" VARCHAR(500) NOT NULL,
    "status" "UsageRequestStatus" NOT NULL DEFAULT 'pending',
    "decided_by" VARCHAR(200),
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signing_operation" (
    "id" UUID NOT NULL,
    "subject" VARCHAR(200) NOT NULL,
    "idempotency_key" VARCHAR(200) NOT NULL,
    "request_hash" VARCHAR(64) NOT NULL,
    "procedure" VARCHAR(50) NOT NULL,
    "seal_id" UUID NOT NULL,
    "document_type" VARCHAR(100) NOT NULL,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signing_operation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "certificate_serial_key" ON "certificate"("serial");

-- CreateIndex
CREATE INDEX "certificate_role_idx" ON "certificate"("role");

-- CreateIndex
CREATE INDEX "certificate_issuer_id_idx" ON "certificate"("issuer_id");

-- CreateIndex
CREATE INDEX "seal_event_seal_id_at_idx" ON "seal_event"("seal_id", "at");

-- CreateIndex
CREATE INDEX "seal_authorization_seal_id_idx" ON "seal_authorization"("seal_id");

-- CreateIndex
CREATE INDEX "usage_request_authorization_id_idx" ON "usage_request"("authorization_id");

-- CreateIndex
CREATE INDEX "signing_operation_seal_id_idx" ON "signing_operation"("seal_id");

-- CreateIndex
CREATE UNIQUE INDEX "signing_operation_subject_idempotency_key_key" ON "signing_operation"("subject", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "seal_certificate_id_key" ON "seal"("certificate_id");

-- AddForeignKey
ALTER TABLE "seal" ADD CONSTRAINT "seal_certificate_id_fkey" FOREIGN KEY ("certificate_id") REFERENCES "certificate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seal_event" ADD CONSTRAINT "seal_event_seal_id_fkey" FOREIGN KEY ("seal_id") REFERENCES "seal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seal_authorization" ADD CONSTRAINT "seal_authorization_seal_id_fkey" FOREIGN KEY ("seal_id") REFERENCES "seal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_request" ADD CONSTRAINT "usage_request_authorization_id_fkey" FOREIGN KEY ("authorization_id") REFERENCES "seal_authorization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
