namespace Modernizer.Pipeline.Configuration;

/// <summary>The commented <c>modernize.yaml</c> that <c>modernize init</c> writes: every key with
/// its default, so the file documents itself (docs/configuration.md is the full reference).</summary>
public static class ConfigTemplate
{
    public const string Text = """
        # modernize.yaml: the configuration of a Modernizer workspace.
        # Every key is optional; the values below are the defaults. Any key can be overridden by an
        # environment variable MODERNIZE__SECTION__KEY (e.g. MODERNIZE__SELECTION__TOP_N=5).
        # Secrets are never written here: DATABRICKS_TOKEN, ANTHROPIC_API_KEY, OPENAI_API_KEY and
        # MODERNIZE_POSTGRES are read from the environment. Reference: docs/configuration.md

        phases:
          # R5.2 phasing: 1 = tier 1 + supervisor, 2 = tier 2 (analysis, spec),
          # 3 = tiers 3-4 (tests, rewrite, validation), 4 = tier 5 (deployment).
          enabled: [1, 2, 3, 4]

        selection:
          # Jobs that go through tiers 2-5: one pilot job, else an explicit list, else the top N
          # candidates of .modernize/portfolio/backlog.json.
          top_n: 20
          jobs: []
          pilot: null

        concurrency:
          # Jobs moving at once ("cores" = the number of processor cores); one stage per job at a time.
          max_jobs: cores

        state:
          # sqlite (.modernize/state.db) or postgres (a team: several `modernize run` share the work).
          provider: sqlite
          # For postgres; or set MODERNIZE_POSTGRES in the environment.
          connection_string: null
          # A worker's hold on a job, renewed while it works; a dead worker's jobs are taken over after it.
          lease_seconds: 60

        prioritization:
          # R1.3 weighted score; the weights must sum to 1.0.
          weights:
            cost: 0.30
            failure: 0.25
            complexity: 0.20
            criticality: 0.15
            difficulty: 0.10

        escalation:
          # X3: when a human is asked. Everything else is resolved autonomously and logged.
          cost_discrepancy_usd_per_month: 5000
          top_n_metadata: 50
          top_n_compliance: 5
          regulatory_confidence_floor: 0.60
          consultation_confidence_floor: 0.80
          reconciliation_escalate_below: 0.95
          # X4: a rewrite passes only at an exact match unless you lower this (e.g. 0.995).
          acceptance_threshold: 1.0
          rewrite_attempts: 3
          sla_breaches_min: 3
          corruption_row_ratio: 1.5

        tags:
          compliance_critical: [SOX, GDPR, HIPAA, PCI]
          # Column-name globs (* and ?), case-insensitive.
          financial_columns: ["*amount*", "*price*", "*cost*", "*revenue*", "*balance*", "*_usd", "*tax*", "*total*"]
          regulatory_columns: ["*ssn*", "*tax_id*", "*consent*", "*gdpr*", "*hipaa*", "*diagnosis*"]
          pii_columns: ["*email*", "*phone*", "*ssn*", "*birth*", "*dob*", "*address*", "*first_name*", "*last_name*"]

        lake:
          # The lake folder in the workspace, and how paths in legacy code map onto it.
          root: lake
          mounts:
            /mnt/lake: lake

        rewrite:
          # The Code Writer (R4.1, X4). Attempts per rewrite: each retry switches one assumption to its alternative.
          max_attempts: 3
          # The legacy runs' environment where code cannot tell: the driver's local zone (date.today(),
          # datetime.fromtimestamp) and spark.sql.session.timeZone.
          driver_time_zone: UTC
          session_time_zone: UTC
          # Assumption id -> alternative, taken from the first attempt on (see rewrite.json's assumptions).
          choices: {}

        engine:
          # duckdb (embedded, the default) or databricks (a SQL warehouse; token from DATABRICKS_TOKEN).
          kind: duckdb
          host: null
          warehouse_id: null

        llm:
          # none (deterministic only, the default), anthropic or openai-compatible.
          provider: none
          model: null
          max_tokens: 4096
          temperature: 0.0
          # https://..., or http:// to a model server on this machine; other hosts over plain http
          # only with allow_plain_http: true.
          endpoint: null
          allow_plain_http: false

        budgets:
          tokens_per_job: 200000
          usd_per_job: 5.00
          attempts_per_stage: 3
          stage_timeout_seconds: 900
          # Runs whose process ended while running the same stage of a job (killed, crashed) before
          # that stage is marked failed and the run goes on without it.
          crashes_per_stage: 2

        retry:
          # Backoff between attempts of a stage that failed transiently (exponential).
          base_delay_ms: 200
          max_delay_ms: 10000
          jitter: true

        """;
}
