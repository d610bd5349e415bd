using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Pages;

/// <summary>The query of the portfolio page: search text, filters, sort and page (all in the URL, so
/// a view can be shared and the page works without script).</summary>
public sealed record PortfolioQuery(string? Search, string? Frequency, string? Code, string? Health, string Sort, bool Descending, int Page)
{
    public const int PageSize = 100;

    public static readonly ImmutableArray<string> SortKeys = ["job", "name", "health", "failure", "runtime", "cost", "runs", "volume", "modified"];

    public static PortfolioQuery Parse(string? q, string? frequency, string? code, string? health, string? sort, string? dir, int? page) =>
        new(string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
            string.IsNullOrWhiteSpace(frequency) ? null : frequency,
            code is "yes" or "no" ? code : null,
            health is "poor" or "fair" or "good" ? health : null,
            SortKeys.Contains(sort ?? string.Empty) ? sort! : "cost",
            dir != "asc",
            Math.Max(1, page ?? 1));

    /// <summary>The query string of this query with one sort key chosen (toggling the direction when it is already chosen).</summary>
    public string SortLink(string key)
    {
        var descending = key == Sort ? !Descending : key is not ("job" or "name");
        return Link(this with { Sort = key, Descending = descending, Page = 1 });
    }

    public string PageLink(int page) => Link(this with { Page = page });

    private static string Link(PortfolioQuery query)
    {
        var parts = new List<KeyValuePair<string, string?>>
        {
            new("q", query.Search),
            new("frequency", query.Frequency),
            new("code", query.Code),
            new("health", query.Health),
            new("sort", query.Sort),
            new("dir", query.Descending ? "desc" : "asc"),
            new("page", query.Page.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        return "/portfolio" + Microsoft.AspNetCore.Http.QueryString.Create(parts.Where(p => !string.IsNullOrEmpty(p.Value)));
    }
}

/// <summary>One job of the inventory, joined with its FinOps figures.</summary>
public sealed record PortfolioRow(
    string JobId,
    string? Name,
    string? Schedule,
    string? Frequency,
    double? Runs,
    double? AvgRuntimeSeconds,
    double? FailureRate,
    double? Health,
    double? VolumeRows,
    string? LastModified,
    string? Owner,
    bool? HasCode,
    double? CostPerMonth,
    double? Tickets,
    IReadOnlyList<string> Inferred);

public sealed record PortfolioModel(
    JsonArtifact Inventory,
    JsonArtifact Finops,
    PortfolioQuery Query,
    int Total,
    int Matching,
    ImmutableArray<PortfolioRow> Rows,
    ImmutableArray<string> Frequencies,
    ChartData? CostChart,
    ChartData? MonthlyCostChart,
    ChartData? FailureChart,
    ChartData? HealthChart)
{
    public int Pages => Math.Max(1, (Matching + PortfolioQuery.PageSize - 1) / PortfolioQuery.PageSize);

    public static async Task<PortfolioModel> BuildAsync(DashboardWorkspace workspace, PortfolioQuery query, CancellationToken cancellationToken)
    {
        var inventory = await workspace.Artifacts.JsonAsync(".modernize/portfolio/inventory.json", cancellationToken);
        var finops = await workspace.Artifacts.JsonAsync(".modernize/portfolio/finops.json", cancellationToken);
        var costs = finops.Root.Arr("jobs").Where(j => j.Str("job_id") is not null)
            .GroupBy(j => j.Str("job_id")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var all = inventory.Root.Arr("jobs").Select(j => Row(j, costs)).Where(r => r is not null).Select(r => r!).ToImmutableArray();
        var matching = all.Where(r => Matches(r, query)).ToList();
        var ordered = Order(matching, query).ToImmutableArray();
        var page = ordered.Skip((query.Page - 1) * PortfolioQuery.PageSize).Take(PortfolioQuery.PageSize).ToImmutableArray();
        var frequencies = all.Select(r => r.Frequency).Where(f => f is not null).Select(f => f!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        return new PortfolioModel(inventory, finops, query, all.Length, matching.Count, page, frequencies,
            BuildCostChart(matching), BuildMonthlyCostChart(finops.Root, matching), BuildFailureChart(matching), BuildHealthChart(matching));
    }

    private static PortfolioRow? Row(JsonElement job, Dictionary<string, JsonElement> costs)
    {
        if (job.Str("job_id") is not { } id)
        {
            return null;
        }

        var cost = costs.TryGetValue(id, out var c) ? c : (JsonElement?)null;
        return new PortfolioRow(id, job.Str("name"), job.Str("schedule"), job.Str("schedule_frequency"), job.Num("runs"), job.Num("avg_runtime_s"),
            job.Num("failure_rate"), job.Num("health_score"), job.Num("data_volume_rows"), job.Str("last_modified"), job.Str("owner"), job.Bool("has_code"),
            cost.Num("cost_usd_per_month"), cost.Num("tickets"), job.Props("inferred").Select(p => p.Name).ToArray());
    }

    private static bool Matches(PortfolioRow row, PortfolioQuery query)
    {
        if (query.Search is { } search && !new[] { row.JobId, row.Name, row.Owner }.Any(t => t?.Contains(search, StringComparison.OrdinalIgnoreCase) == true))
        {
            return false;
        }

        if (query.Frequency is { } frequency && row.Frequency != frequency)
        {
            return false;
        }

        if (query.Code is { } code && (row.HasCode == true) != (code == "yes"))
        {
            return false;
        }

        return query.Health switch
        {
            "poor" => row.Health is <= 4,
            "fair" => row.Health is > 4 and <= 7,
            "good" => row.Health is > 7,
            _ => true,
        };
    }

    private static IEnumerable<PortfolioRow> Order(IEnumerable<PortfolioRow> rows, PortfolioQuery query)
    {
        if (query.Sort is "job" or "name" or "modified")
        {
            Func<PortfolioRow, string?> text = query.Sort switch
            {
                "name" => r => r.Name,
                "modified" => r => r.LastModified,
                _ => r => r.JobId,
            };
            return query.Descending ? rows.OrderByDescending(text, StringComparer.Ordinal).ThenBy(r => r.JobId, StringComparer.Ordinal)
                : rows.OrderBy(text, StringComparer.Ordinal).ThenBy(r => r.JobId, StringComparer.Ordinal);
        }

        Func<PortfolioRow, double?> number = query.Sort switch
        {
            "health" => r => r.Health,
            "failure" => r => r.FailureRate,
            "runtime" => r => r.AvgRuntimeSeconds,
            "runs" => r => r.Runs,
            "volume" => r => r.VolumeRows,
            _ => r => r.CostPerMonth,
        };

        // Unknown values sort last in either direction.
        return query.Descending
            ? rows.OrderBy(r => number(r) is null).ThenByDescending(number).ThenBy(r => r.JobId, StringComparer.Ordinal)
            : rows.OrderBy(r => number(r) is null).ThenBy(number).ThenBy(r => r.JobId, StringComparer.Ordinal);
    }

    private static ChartData? BuildCostChart(List<PortfolioRow> rows)
    {
        var top = rows.Where(r => r.CostPerMonth > 0).OrderByDescending(r => r.CostPerMonth).ThenBy(r => r.JobId, StringComparer.Ordinal).Take(12).ToList();
        return top.Count == 0 ? null
            : ChartData.Bar(top.Select(r => r.JobId), "$ per month", top.Select(r => Math.Round(r.CostPerMonth!.Value, 2))) with { Horizontal = true, XTitle = "$ per month" };
    }

    private static ChartData? BuildMonthlyCostChart(JsonElement? finops, List<PortfolioRow> rows)
    {
        var shown = rows.Select(r => r.JobId).ToHashSet(StringComparer.Ordinal);
        var months = finops.Arr("monthly_costs")
            .Where(m => m.Str("job_id") is { } id && shown.Contains(id) && m.Str("month") is not null)
            .GroupBy(m => m.Str("month")!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Month: g.Key, Cost: Math.Round(g.Sum(m => m.Num("cost_usd") ?? 0), 2)))
            .ToList();
        return months.Count == 0 ? null : ChartData.Line(months.Select(m => m.Month), "$ per month (jobs shown)", months.Select(m => m.Cost)) with { YTitle = "$" };
    }

    private static ChartData? BuildFailureChart(List<PortfolioRow> rows)
    {
        var top = rows.Where(r => r.FailureRate > 0).OrderByDescending(r => r.FailureRate).ThenBy(r => r.JobId, StringComparer.Ordinal).Take(12).ToList();
        return top.Count == 0 ? null
            : ChartData.Bar(top.Select(r => r.JobId), "failure rate", top.Select(r => Math.Round(r.FailureRate!.Value, 4))) with { Horizontal = true, Percent = true, XTitle = "runs failed" };
    }

    private static ChartData? BuildHealthChart(List<PortfolioRow> rows)
    {
        if (!rows.Any(r => r.Health is not null))
        {
            return null;
        }

        var scores = Enumerable.Range(1, 10).ToList();
        var labels = scores.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var counts = scores.Select(s => (double)rows.Count(r => r.Health is { } h && (int)Math.Round(h) == s));
        var chart = ChartData.Bar(labels, "jobs", counts);
        return chart with { XTitle = "health score (1 poor - 10 healthy)", YTitle = "jobs" };
    }
}
