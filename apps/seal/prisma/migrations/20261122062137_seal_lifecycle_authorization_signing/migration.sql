-- AlterTable
ALTER TABLE "seal" ADD COLUMN     "approved_by" VARCHAR(200),
ADD COLUMN     "image_png" BYTEA,
ADD COLUMN     "image_svg" TEXT,
ALTER COLUMN "valid_until" SET NOT NULL;

-- AlterTable
ALTER TABLE "signing_operation" ADD COLUMN     "authorization_id" UUID NOT NULL,
ADD COLUMN     "output" BYTEA NOT NULL,
ADD COLUMN     "output_sha256" VARCHAR(64) NOT NULL,
ADD COLUMN     "usage_request_id" UUID;

-- AlterTable
ALTER TABLE "usage_request" ADD COLUMN     "decision_reason" VARCHAR(500),
ADD COLUMN     "used_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "signing_operation_usage_request_id_key" ON "signing_operation"("usage_request_id");

-- Rules the database itself enforces, whatever code (or person with SQL) writes the rows.
-- The adapter that applies migrations without the native engine splits scripts at every
-- semicolon, even inside dollar-quoted bodies, so the PL/pgSQL bodies below are escape strings
-- with \073 (octal for the semicolon) as statement terminator. PostgreSQL reads them unchanged.

-- Four-eyes rule on applications, and what each status implies about the seal's record.
ALTER TABLE "seal" ADD CONSTRAINT "seal_approver_not_applicant" CHECK ("approved_by" IS NULL OR "approved_by" <> "applied_by");
ALTER TABLE "seal" ADD CONSTRAINT "seal_approved_before_use" CHECK ("approved_by" IS NOT NULL OR "status" IN ('applied', 'cancelled'));
ALTER TABLE "seal" ADD CONSTRAINT "seal_made_has_certificate" CHECK (
  "certificate_id" IS NOT NULL OR "status" IN ('applied', 'approved', 'cancelled'));
ALTER TABLE "seal" ADD CONSTRAINT "seal_in_use_is_filed" CHECK (
  "filing_number" IS NOT NULL OR "status" IN ('applied', 'approved', 'made', 'cancelled', 'expired'));
ALTER TABLE "seal" ADD CONSTRAINT "seal_size_positive" CHECK ("width_mm" > 0 AND "height_mm" > 0);

-- The seal lifecycle: applied → approved → made → filed → active ⇄ suspended; active | suspended →
-- lost; every non-final status → cancelled; lost → cancelled; made … suspended → expired.
CREATE FUNCTION "seal_guard_transition"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."id" <> OLD."id" OR NEW."org_code" <> OLD."org_code" OR NEW."applied_by" <> OLD."applied_by"
     OR NEW."kind" <> OLD."kind" THEN
    RAISE EXCEPTION ''seal identity, owner and applicant are immutable'' USING ERRCODE = ''check_violation''\073
  END IF\073
  IF OLD."certificate_id" IS NOT NULL AND NEW."certificate_id" IS DISTINCT FROM OLD."certificate_id" THEN
    RAISE EXCEPTION ''a seal keeps its certificate'' USING ERRCODE = ''check_violation''\073
  END IF\073
  IF NEW."status" = OLD."status" OR (OLD."status", NEW."status") IN (
      (''applied'', ''approved''), (''applied'', ''cancelled''),
      (''approved'', ''made''), (''approved'', ''cancelled''),
      (''made'', ''filed''), (''made'', ''cancelled''), (''made'', ''expired''),
      (''filed'', ''active''), (''filed'', ''cancelled''), (''filed'', ''expired''),
      (''active'', ''suspended''), (''active'', ''lost''), (''active'', ''cancelled''), (''active'', ''expired''),
      (''suspended'', ''active''), (''suspended'', ''lost''), (''suspended'', ''cancelled''), (''suspended'', ''expired''),
      (''lost'', ''cancelled'')) THEN
    RETURN NEW\073
  END IF\073
  RAISE EXCEPTION ''illegal seal transition % -> %'', OLD."status", NEW."status"
    USING ERRCODE = ''check_violation''\073
END ';
CREATE TRIGGER "seal_transition" BEFORE UPDATE ON "seal"
  FOR EACH ROW EXECUTE FUNCTION "seal_guard_transition"();

CREATE FUNCTION "seal_guard_insert"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."status" <> ''applied'' THEN
    RAISE EXCEPTION ''a seal starts applied'' USING ERRCODE = ''check_violation''\073
  END IF\073
  RETURN NEW\073
END ';
CREATE TRIGGER "seal_insert" BEFORE INSERT ON "seal"
  FOR EACH ROW EXECUTE FUNCTION "seal_guard_insert"();

-- Audit and signing records are append-only.
CREATE FUNCTION "seal_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  RAISE EXCEPTION ''% is append-only'', TG_TABLE_NAME USING ERRCODE = ''check_violation''\073
END ';
CREATE TRIGGER "seal_event_append_only" BEFORE UPDATE OR DELETE ON "seal_event"
  FOR EACH ROW EXECUTE FUNCTION "seal_append_only"();
CREATE TRIGGER "signing_operation_append_only" BEFORE UPDATE OR DELETE ON "signing_operation"
  FOR EACH ROW EXECUTE FUNCTION "seal_append_only"();

-- Authorisations: uses never exceed the maximum, the window is not empty, counts only grow.
ALTER TABLE "seal_authorization" ADD CONSTRAINT "seal_authorization_uses_within_max" CHECK (
  "used_count" >= 0 AND ("max_uses" IS NULL OR ("max_uses" > 0 AND "used_count" <= "max_uses")));
ALTER TABLE "seal_authorization" ADD CONSTRAINT "seal_authorization_window" CHECK ("valid_until" > "valid_from");
ALTER TABLE "seal_authorization" ADD CONSTRAINT "seal_authorization_has_subjects" CHECK (
  cardinality("subjects") > 0 AND cardinality("document_types") > 0);

CREATE FUNCTION "seal_authorization_guard"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."seal_id" <> OLD."seal_id" OR NEW."used_count" < OLD."used_count"
     OR (OLD."revoked_at" IS NOT NULL AND NEW."revoked_at" IS DISTINCT FROM OLD."revoked_at") THEN
    RAISE EXCEPTION ''authorisation seal, use count and revocation cannot be undone'' USING ERRCODE = ''check_violation''\073
  END IF\073
  RETURN NEW\073
END ';
CREATE TRIGGER "seal_authorization_update" BEFORE UPDATE ON "seal_authorization"
  FOR EACH ROW EXECUTE FUNCTION "seal_authorization_guard"();

-- Usage requests (用印审批): decided by someone else, pending → approved | rejected, approved → used.
ALTER TABLE "usage_request" ADD CONSTRAINT "usage_request_decider_not_requester" CHECK (
  "decided_by" IS NULL OR "decided_by" <> "requested_by");
ALTER TABLE "usage_request" ADD CONSTRAINT "usage_request_decided" CHECK (
  ("status" = 'pending') = ("decided_by" IS NULL));
ALTER TABLE "usage_request" ADD CONSTRAINT "usage_request_used_at" CHECK (("status" = 'used') = ("used_at" IS NOT NULL));

CREATE FUNCTION "usage_request_guard_transition"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."authorization_id" <> OLD."authorization_id" OR NEW."requested_by" <> OLD."requested_by" THEN
    RAISE EXCEPTION ''usage request authorisation and requester are immutable'' USING ERRCODE = ''check_violation''\073
  END IF\073
  IF (OLD."status", NEW."status") IN ((''pending'', ''approved''), (''pending'', ''rejected''), (''approved'', ''used'')) THEN
    RETURN NEW\073
  END IF\073
  RAISE EXCEPTION ''illegal usage request transition % -> %'', OLD."status", NEW."status"
    USING ERRCODE = ''check_violation''\073
END ';
CREATE TRIGGER "usage_request_transition" BEFORE UPDATE ON "usage_request"
  FOR EACH ROW EXECUTE FUNCTION "usage_request_guard_transition"();
