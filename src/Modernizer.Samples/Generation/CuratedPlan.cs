using System.Collections.Immutable;

namespace Modernizer.Samples.Generation;

/// <summary>The legacy runs that produced lake/curated, in order. A run may read the output of an
/// earlier run of the same job (the SCD2 dimension and the MERGE target), which gives those curated
/// tables a history of two versions. Each latest run commits after the raw loads it read, so the lake's
/// history is one a real platform could have written.</summary>
internal static class CuratedPlan
{
    public static readonly ImmutableArray<CuratedRun> Runs =
    [
        new("customer_dim_scd2", Params(("until", "2026-10-15")), ["raw.customers"], null, new(2026, 10, 16, 2, 40, 0, TimeSpan.Zero)),
        new("customer_dim_scd2", Params(), ["raw.customers"], "curated.dim_customer", new(2026, 11, 1, 9, 40, 0, TimeSpan.Zero)),
        new("orders_incremental_merge", Params(("run_date", "2026-10-30")), ["raw.orders"], null, new(2026, 10, 30, 23, 10, 0, TimeSpan.Zero)),
        new("orders_incremental_merge", Params(("run_date", "2026-10-31")), ["raw.orders"], "curated.orders_clean", new(2026, 11, 1, 9, 20, 0, TimeSpan.Zero)),
        new("orders_daily_revenue", Params(), ["raw.orders", "raw.order_lines", "raw.products", "raw.stores", "raw.fx_rates"], null, At(3, 50)),
        new("customer_360", Params(), ["raw.customers", "raw.orders", "raw.web_events"], null, At(5, 10)),
        new("product_sales_rank", Params(), ["raw.order_lines", "raw.orders", "raw.products"], null, At(6, 30)),
        new("store_inventory_report", Params(), ["raw.inventory_snapshots", "raw.stores", "raw.products"], null, At(7, 20)),
        new("web_sessions_daily", Params(), ["raw.web_events"], null, At(6, 10)),
        new("payments_reconciliation", Params(), ["raw.payments", "raw.orders"], null, At(8, 40)),
        new("orders_usd_normalized", Params(), ["raw.orders", "raw.fx_rates"], null, At(4, 0)),
        new("customer_ltv_running", Params(), ["raw.orders"], null, At(6, 0)),
        new("marketing_segments", Params(), ["raw.customers", "raw.orders"], null, At(9, 30)),
        new("inventory_reorder", Params(), ["raw.inventory_snapshots", "raw.orders", "raw.order_lines", "raw.products"], null, At(10, 25)),

        // The planted copies (catalog.sql planted_copies): the legacy runner runs each with its template's
        // reference program (legacy/templated.json), on its template's inputs.
        new("product_sales_rank_outlet", Params(), ["raw.order_lines", "raw.orders", "raw.products"], null, At(7, 0)),
        new("web_sessions_daily_app", Params(), ["raw.web_events"], null, At(6, 35)),
        new("orders_usd_normalized_eu", Params(), ["raw.orders", "raw.fx_rates"], null, At(4, 45)),
        new("inventory_reorder_dc", Params(), ["raw.inventory_snapshots", "raw.orders", "raw.order_lines", "raw.products"], null, At(10, 5)),
        new("marketing_segments_email", Params(), ["raw.customers", "raw.orders"], null, At(9, 5)),
        new("customer_ltv_running_loyalty", Params(), ["raw.orders"], null, At(6, 25)),
    ];

    /// <summary>A run of 1 November, after the raw loads of that morning (06:00-09:00 UTC) that its
    /// reference program read: time travel to the output's commit finds the inputs the run read.</summary>
    private static DateTimeOffset At(int hour, int minute) => new DateTimeOffset(2026, 11, 1, hour, minute, 0, TimeSpan.Zero).AddHours(7);

    private static ImmutableSortedDictionary<string, string?> Params(params (string Key, string? Value)[] values) =>
        values.ToImmutableSortedDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
}

/// <param name="PreviousOutput">An output table of an earlier run this run reads back (its target).</param>
internal sealed record CuratedRun(
    string JobId,
    ImmutableSortedDictionary<string, string?> Parameters,
    ImmutableArray<string> Inputs,
    string? PreviousOutput,
    DateTimeOffset CommitTime);
