CREATE TABLE "coordination_case_vendors" (
	"case_id" uuid NOT NULL,
	"vendor_org_id" uuid NOT NULL,
	"added_how" text NOT NULL,
	"matched_purls" text[] DEFAULT '{}'::text[] NOT NULL,
	"added_by" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"reminders_sent" integer DEFAULT 0 NOT NULL,
	"last_reminded_at" timestamp with time zone,
	CONSTRAINT "coordination_case_vendors_case_id_vendor_org_id_pk" PRIMARY KEY("case_id","vendor_org_id")
);
--> statement-breakpoint
CREATE TABLE "coordination_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"vulnerability_id" uuid NOT NULL,
	"status" text NOT NULL,
	"embargo_release_at" timestamp with time zone NOT NULL,
	"embargo_time_zone" text NOT NULL,
	"opened_by" uuid NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coordination_embargo_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_release_at" timestamp with time zone,
	"to_release_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"basis" text,
	"model_id" uuid,
	"reason" text,
	"actor_user_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coordination_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"visibility" text NOT NULL,
	"vendor_org_id" uuid,
	"author_user_id" uuid NOT NULL,
	"author_org_id" uuid NOT NULL,
	"body_enc" text NOT NULL,
	"posted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coordination_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"vendor_org_id" uuid NOT NULL,
	"product" text NOT NULL,
	"status" text NOT NULL,
	"justification" text,
	"fixed_version" text,
	"remediation" text,
	"shared" boolean DEFAULT false NOT NULL,
	"shared_at" timestamp with time zone,
	"stated_by" uuid NOT NULL,
	"stated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coordination_vendor_products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"vendor_org_id" uuid NOT NULL,
	"purl_type" text NOT NULL,
	"namespace" text NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "coordination_case_vendors_vendor_idx" ON "coordination_case_vendors" USING btree ("vendor_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coordination_cases_vuln_key" ON "coordination_cases" USING btree ("vulnerability_id");--> statement-breakpoint
CREATE INDEX "coordination_cases_status_idx" ON "coordination_cases" USING btree ("status","embargo_release_at");--> statement-breakpoint
CREATE INDEX "coordination_embargo_history_case_idx" ON "coordination_embargo_history" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "coordination_messages_case_idx" ON "coordination_messages" USING btree ("case_id","posted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "coordination_statements_product_key" ON "coordination_statements" USING btree ("case_id","vendor_org_id","product");--> statement-breakpoint
CREATE UNIQUE INDEX "coordination_vendor_products_key" ON "coordination_vendor_products" USING btree ("vendor_org_id","purl_type","namespace","name");--> statement-breakpoint
CREATE INDEX "coordination_vendor_products_match_idx" ON "coordination_vendor_products" USING btree ("purl_type","namespace");