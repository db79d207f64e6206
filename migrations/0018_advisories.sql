CREATE TABLE "advisories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"vulnerability_id" uuid NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"tracking_id" text,
	"status" text NOT NULL,
	"tlp" text NOT NULL,
	"csaf_status" text DEFAULT 'final' NOT NULL,
	"content_enc" text NOT NULL,
	"audience" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"audience_org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"severity" text,
	"current_revision" integer DEFAULT 0 NOT NULL,
	"initial_release_at" timestamp with time zone,
	"current_release_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "advisory_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "advisory_revisions" (
	"advisory_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"date" timestamp with time zone NOT NULL,
	"documents_enc" text NOT NULL,
	"sha256" text NOT NULL,
	"sha512" text NOT NULL,
	"signature" text NOT NULL,
	"signing_key_fingerprint" text NOT NULL,
	"actor_user_id" uuid NOT NULL,
	CONSTRAINT "advisory_revisions_advisory_id_number_pk" PRIMARY KEY("advisory_id","number")
);
--> statement-breakpoint
CREATE TABLE "advisory_signing_keys" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"slot" text,
	"public_key" text NOT NULL,
	"private_key_enc" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "advisories_vulnerability_uq" ON "advisories" USING btree ("vulnerability_id");--> statement-breakpoint
CREATE UNIQUE INDEX "advisories_tracking_uq" ON "advisories" USING btree ("tracking_id");--> statement-breakpoint
CREATE INDEX "advisories_published_idx" ON "advisories" USING btree ("tlp","current_release_at");--> statement-breakpoint
CREATE INDEX "advisory_revisions_date_idx" ON "advisory_revisions" USING btree ("date");--> statement-breakpoint
CREATE UNIQUE INDEX "advisory_signing_keys_slot_uq" ON "advisory_signing_keys" USING btree ("slot");