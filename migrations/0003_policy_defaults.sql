-- The signed order's window: at most 30 days (the earlier draft's 90 is a later policy version away),
-- and the training-compute trigger of 10^26 FLOP given as the default example.
INSERT INTO "policy_settings" ("version", "max_window_days", "compute_trigger_flop", "reason") VALUES (1, 30, 1e26, 'Executive order, June 2026: voluntary review window of at most 30 days before public release') ON CONFLICT DO NOTHING;
