-- web_sessions_daily
-- Daily web session funnel per device for the digital team.
-- Runs every morning; recomputes the last seven days of sessions.

CREATE TABLE IF NOT EXISTS curated.web_sessions_daily (
  event_date DATE,
  device STRING,
  sessions BIGINT,
  converted_sessions BIGINT,
  conversion_rate DOUBLE,
  avg_session_seconds DOUBLE,
  identified_customers BIGINT
) USING DELTA;

CREATE OR REPLACE TEMP VIEW recent_events AS
SELECT *
FROM raw.web_events
WHERE event_date >= date_sub(DATE'2026-10-31', 6);

CREATE OR REPLACE TEMP VIEW sessions AS
SELECT session_id,
       event_date,
       min(device)                                              AS device,
       min(customer_id)                                         AS customer_id,
       min(event_ts)                                            AS session_start,
       max(event_ts)                                            AS session_end,
       max(CASE WHEN event_type = 'purchase' THEN 1 ELSE 0 END) AS converted
FROM recent_events
GROUP BY session_id, event_date;

INSERT OVERWRITE TABLE curated.web_sessions_daily
SELECT event_date,
       device,
       count(*)                                                             AS sessions,
       sum(converted)                                                       AS converted_sessions,
       round(sum(converted) / count(*), 4)                                  AS conversion_rate,
       round(avg(unix_timestamp(session_end) - unix_timestamp(session_start)), 1) AS avg_session_seconds,
       count(DISTINCT customer_id)                                          AS identified_customers
FROM sessions
GROUP BY event_date, device;
