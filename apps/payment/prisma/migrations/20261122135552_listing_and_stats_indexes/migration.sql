-- CreateIndex
CREATE INDEX "channel_payment_confirmed_at_idx" ON "channel_payment"("confirmed_at");

-- CreateIndex
CREATE INDEX "payment_notice_created_at_id_idx" ON "payment_notice"("created_at", "id");

-- CreateIndex
CREATE INDEX "payment_notice_payer_id_payer_kind_idx" ON "payment_notice"("payer_id", "payer_kind");
