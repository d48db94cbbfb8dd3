-- CreateEnum
CREATE TYPE "SubjectKind" AS ENUM ('natural_person', 'legal_person');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('active', 'locked', 'disabled');

-- CreateTable
CREATE TABLE "account" (
    "id" UUID NOT NULL,
    "kind" "SubjectKind" NOT NULL,
    "subject_id" VARCHAR(18) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "phone" VARCHAR(20),
    "email" VARCHAR(320),
    "status" "AccountStatus" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_subject_id_key" ON "account"("subject_id");

-- CreateIndex
CREATE UNIQUE INDEX "account_phone_key" ON "account"("phone");
