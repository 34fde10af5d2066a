-- When a bucket is full again: from then on it is the same as no row at all, so it may be deleted
-- (idle buckets of made-up keys and passing addresses must not stay forever). Null: kept (Notion pacers).
alter table rate_limit_buckets add column expires_at timestamptz(3);
create index rate_limit_buckets_expires_at on rate_limit_buckets (expires_at) where expires_at is not null;
