ALTER TABLE "model_documents" ADD COLUMN "caveat" text;--> statement-breakpoint
ALTER TABLE "model_documents" ADD COLUMN "withdrawn_by" uuid;--> statement-breakpoint
ALTER TABLE "model_documents" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "models_family_version_key" ON "models" USING btree ("family_id","version");