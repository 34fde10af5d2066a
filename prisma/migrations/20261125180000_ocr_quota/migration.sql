-- OCR quota charges: which bytes of a page were charged to the OCR quota of its owner (quota_usage,
-- quota_type 'ocr_pages'). One row per page: a retry of the same bytes finds it and is not charged
-- again, new bytes replace it and are charged. It is written in the transaction that increments
-- quota_usage.used, so the two never disagree.
CREATE TABLE "ocr_charges" (
    "page_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "file_sha256" TEXT NOT NULL,
    "charged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ocr_charges_pkey" PRIMARY KEY ("page_id")
);

CREATE INDEX "ocr_charges_user_id_idx" ON "ocr_charges"("user_id");

ALTER TABLE "ocr_charges" ADD CONSTRAINT "ocr_charges_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ocr_charges" ADD CONSTRAINT "ocr_charges_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

