CREATE TABLE "notification_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"channel_id" uuid,
	"channel_kind" text NOT NULL,
	"address" text NOT NULL,
	"event" text NOT NULL,
	"record_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"advisory_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"body" text,
	"mail_id" uuid,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"redeliveries" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"dead_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "remediation_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_id" uuid NOT NULL,
	"event" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_user_id" uuid,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remediation_matches" (
	"match_id" uuid PRIMARY KEY NOT NULL,
	"record_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"component_id" uuid NOT NULL,
	"package" text NOT NULL,
	"version" text,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "remediation_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"advisory_id" uuid NOT NULL,
	"advisory_ref" text NOT NULL,
	"title" text NOT NULL,
	"severity" text,
	"tlp" text NOT NULL,
	"state" text DEFAULT 'notified' NOT NULL,
	"priority_tier" integer,
	"due_at" timestamp with time zone NOT NULL,
	"justification" text,
	"note" text,
	"risk_expires_at" timestamp with time zone,
	"fix" jsonb DEFAULT '{"fixedVersions":[],"remediation":null,"url":null}'::jsonb NOT NULL,
	"digest_pending" boolean DEFAULT false NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "notification_deliveries_org_idx" ON "notification_deliveries" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_dead_idx" ON "notification_deliveries" USING btree ("dead_at") WHERE status = 'dead';--> statement-breakpoint
CREATE INDEX "notification_deliveries_advisories_idx" ON "notification_deliveries" USING gin ("advisory_ids");--> statement-breakpoint
CREATE INDEX "remediation_history_record_idx" ON "remediation_history" USING btree ("record_id","at");--> statement-breakpoint
CREATE INDEX "remediation_matches_record_idx" ON "remediation_matches" USING btree ("record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remediation_records_org_advisory_idx" ON "remediation_records" USING btree ("owner_org_id","advisory_id");--> statement-breakpoint
CREATE INDEX "remediation_records_advisory_idx" ON "remediation_records" USING btree ("advisory_id");--> statement-breakpoint
CREATE INDEX "remediation_records_digest_idx" ON "remediation_records" USING btree ("owner_org_id") WHERE digest_pending;