CREATE TABLE "matching_advisories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"clearinghouse_advisory_id" uuid,
	"title" text NOT NULL,
	"tlp" text NOT NULL,
	"severity" text,
	"affected" jsonb NOT NULL,
	"aliases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"withdrawn" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"modified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matching_advisory_packages" (
	"package" text NOT NULL,
	"advisory_id" uuid NOT NULL,
	CONSTRAINT "matching_advisory_packages_package_advisory_id_pk" PRIMARY KEY("package","advisory_id")
);
--> statement-breakpoint
CREATE TABLE "matching_matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"advisory_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"component_id" uuid NOT NULL,
	"package" text NOT NULL,
	"version" text,
	"verdict" text NOT NULL,
	"fixed_in" text,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone,
	"cleared_reason" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "matching_advisories_source_external_idx" ON "matching_advisories" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "matching_advisory_packages_advisory_idx" ON "matching_advisory_packages" USING btree ("advisory_id");--> statement-breakpoint
CREATE UNIQUE INDEX "matching_matches_open_idx" ON "matching_matches" USING btree ("advisory_id","component_id") WHERE cleared_at is null;--> statement-breakpoint
CREATE INDEX "matching_matches_org_idx" ON "matching_matches" USING btree ("org_id","matched_at");--> statement-breakpoint
CREATE INDEX "matching_matches_asset_open_idx" ON "matching_matches" USING btree ("asset_id") WHERE cleared_at is null;