-- AlterTable
ALTER TABLE "account" ADD COLUMN     "legal_representative_id" VARCHAR(18),
ADD COLUMN     "password_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "password_hash" TEXT,
ADD COLUMN     "roles" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "totp_confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "totp_last_step" BIGINT,
ADD COLUMN     "totp_secret_enc" TEXT,
ADD COLUMN     "trust_level" SMALLINT NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "one_time_code" (
    "id" UUID NOT NULL,
    "phone" VARCHAR(20) NOT NULL,
    "purpose" VARCHAR(32) NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "one_time_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sms_outbox" (
    "id" UUID NOT NULL,
    "phone" VARCHAR(20) NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sms_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signing_key" (
    "kid" VARCHAR(64) NOT NULL,
    "alg" VARCHAR(16) NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "private_key_enc" TEXT NOT NULL,
    "kek_id" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "activates_at" TIMESTAMPTZ(3) NOT NULL,
    "remove_at" TIMESTAMPTZ(3),

    CONSTRAINT "signing_key_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "client" (
    "id" VARCHAR(100) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "secret_hash" VARCHAR(64),
    "redirect_uris" TEXT[],
    "post_logout_redirect_uris" TEXT[],
    "grant_types" TEXT[],
    "scopes" TEXT[],
    "resources" TEXT[],
    "default_resource" TEXT,
    "backchannel_logout_uri" TEXT,
    "first_party" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" UUID NOT NULL,
    "sid" VARCHAR(64) NOT NULL,
    "secret_hash" VARCHAR(64) NOT NULL,
    "account_id" UUID NOT NULL,
    "acr" SMALLINT NOT NULL,
    "amr" TEXT[],
    "auth_time" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" VARCHAR(32),
    "ip" VARCHAR(64),
    "user_agent" VARCHAR(300),

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_client" (
    "session_id" UUID NOT NULL,
    "client_id" VARCHAR(100) NOT NULL,
    "first_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_client_pkey" PRIMARY KEY ("session_id","client_id")
);

-- CreateTable
CREATE TABLE "interaction" (
    "id" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(100) NOT NULL,
    "params" JSONB NOT NULL,
    "browser_hash" VARCHAR(64) NOT NULL,
    "login_session_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "authorization_code" (
    "code_hash" VARCHAR(64) NOT NULL,
    "client_id" VARCHAR(100) NOT NULL,
    "account_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "redirect_uri" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "nonce" TEXT,
    "code_challenge" VARCHAR(128) NOT NULL,
    "acr" SMALLINT NOT NULL,
    "amr" TEXT[],
    "auth_time" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "grant_id" UUID,

    CONSTRAINT "authorization_code_pkey" PRIMARY KEY ("code_hash")
);

-- CreateTable
CREATE TABLE "grant" (
    "id" UUID NOT NULL,
    "client_id" VARCHAR(100) NOT NULL,
    "account_id" UUID NOT NULL,
    "actor_id" UUID,
    "session_id" UUID,
    "scope" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "acr" SMALLINT NOT NULL,
    "amr" TEXT[],
    "auth_time" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "absolute_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoke_reason" VARCHAR(32),

    CONSTRAINT "grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refresh_token" (
    "token_hash" VARCHAR(64) NOT NULL,
    "grant_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "refresh_token_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "access_token" (
    "jti" VARCHAR(64) NOT NULL,
    "grant_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "access_token_pkey" PRIMARY KEY ("jti")
);

-- CreateTable
CREATE TABLE "revoked_token" (
    "jti" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "revoked_token_pkey" PRIMARY KEY ("jti")
);

-- CreateTable
CREATE TABLE "consent" (
    "account_id" UUID NOT NULL,
    "client_id" VARCHAR(100) NOT NULL,
    "scopes" TEXT[],
    "granted_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "consent_pkey" PRIMARY KEY ("account_id","client_id")
);

-- CreateTable
CREATE TABLE "logout_delivery" (
    "id" UUID NOT NULL,
    "session_sid" VARCHAR(64) NOT NULL,
    "account_id" UUID NOT NULL,
    "client_id" VARCHAR(100) NOT NULL,
    "uri" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" VARCHAR(300),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "logout_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limit_counter" (
    "key" VARCHAR(200) NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "rate_limit_counter_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "agent_authorization" (
    "id" UUID NOT NULL,
    "principal_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "scopes" TEXT[],
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "representative_id" VARCHAR(18) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "ended_by" UUID,

    CONSTRAINT "agent_authorization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "federated_identity" (
    "provider" VARCHAR(200) NOT NULL,
    "upstream_subject" VARCHAR(255) NOT NULL,
    "account_id" UUID NOT NULL,
    "linked_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "federated_identity_pkey" PRIMARY KEY ("provider","upstream_subject")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "type" VARCHAR(64) NOT NULL,
    "account_id" UUID,
    "client_id" VARCHAR(100),
    "ip" VARCHAR(64),
    "detail" JSONB NOT NULL,
    "prev_hash" VARCHAR(64) NOT NULL,
    "hash" VARCHAR(64) NOT NULL,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "one_time_code_phone_purpose_created_at_idx" ON "one_time_code"("phone", "purpose", "created_at");

-- CreateIndex
CREATE INDEX "sms_outbox_phone_created_at_idx" ON "sms_outbox"("phone", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "session_sid_key" ON "session"("sid");

-- CreateIndex
CREATE UNIQUE INDEX "session_secret_hash_key" ON "session"("secret_hash");

-- CreateIndex
CREATE INDEX "session_account_id_idx" ON "session"("account_id");

-- CreateIndex
CREATE INDEX "grant_session_id_idx" ON "grant"("session_id");

-- CreateIndex
CREATE INDEX "grant_account_id_idx" ON "grant"("account_id");

-- CreateIndex
CREATE INDEX "refresh_token_grant_id_idx" ON "refresh_token"("grant_id");

-- CreateIndex
CREATE INDEX "access_token_grant_id_idx" ON "access_token"("grant_id");

-- CreateIndex
CREATE INDEX "logout_delivery_status_next_attempt_at_idx" ON "logout_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "agent_authorization_agent_id_idx" ON "agent_authorization"("agent_id");

-- CreateIndex
CREATE INDEX "agent_authorization_principal_id_idx" ON "agent_authorization"("principal_id");

-- CreateIndex
CREATE INDEX "audit_event_account_id_at_idx" ON "audit_event"("account_id", "at");

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_client" ADD CONSTRAINT "session_client_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_authorization" ADD CONSTRAINT "agent_authorization_principal_id_fkey" FOREIGN KEY ("principal_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_authorization" ADD CONSTRAINT "agent_authorization_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "federated_identity" ADD CONSTRAINT "federated_identity_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
