using System.Collections.Immutable;
using System.Globalization;

namespace Modernizer.Portfolio.Scanning;

/// <summary>The facts the health score reads (docs/health-score.md).</summary>
internal sealed record HealthInputs(
    double? FailureRateRecent,
    double? RuntimeRecentS,
    double? RuntimeBaselineS,
    long SlaBreaches,
    long SlaRuns,
    long TicketWeight,
    double? DaysSinceModified);

/// <summary>Health 1-10 (10 = healthy) = round(10 − 9 × Σ weightᵢ × badnessᵢ), each badness in [0, 1]:
/// failure rate (÷ 30%), runtime trend (last 30 days vs before; doubling = 1), SLA breach rate (÷ 20%),
/// ticket load (severity-weighted tickets ÷ 8) and staleness (days since last modified ÷ 3 years;
/// unknown = 0.5). Weights .35 / .15 / .20 / .15 / .15.</summary>
internal static class HealthScore
{
    public const double FailureWeight = 0.35;
    public const double RuntimeWeight = 0.15;
    public const double SlaWeight = 0.20;
    public const double TicketWeight = 0.15;
    public const double StalenessWeight = 0.15;

    public static (int Score, ImmutableArray<HealthComponent> Components) Compute(HealthInputs inputs)
    {
        var failure = inputs.FailureRateRecent is { } fr ? Clamp(fr / 0.30) : 0;
        var trend = inputs is { RuntimeRecentS: { } recent, RuntimeBaselineS: { } baseline } && baseline > 0 ? Clamp(recent / baseline - 1) : 0;
        var slaRate = inputs.SlaRuns > 0 ? (double)inputs.SlaBreaches / inputs.SlaRuns : 0;
        var sla = Clamp(slaRate / 0.20);
        var tickets = Clamp(inputs.TicketWeight / 8.0);
        var staleness = inputs.DaysSinceModified is { } days ? Clamp(days / 1095.0) : 0.5;
        ImmutableArray<HealthComponent> components =
        [
            new("failure_rate", Round(failure), FailureWeight, inputs.FailureRateRecent is { } f ? $"{Pct(f)} of recent runs failed" : "no finished runs"),
            new("runtime_trend", Round(trend), RuntimeWeight, inputs is { RuntimeRecentS: { } r, RuntimeBaselineS: { } b } && b > 0
                ? $"last-30-day average runtime {r.ToString("0", CultureInfo.InvariantCulture)} s vs {b.ToString("0", CultureInfo.InvariantCulture)} s before"
                : "not enough history for a trend"),
            new("sla_breaches", Round(sla), SlaWeight, inputs.SlaRuns > 0 ? $"{inputs.SlaBreaches} of {inputs.SlaRuns} recent runs breached the SLA" : "no SLA"),
            new("ticket_load", Round(tickets), TicketWeight, $"severity-weighted recent tickets: {inputs.TicketWeight}"),
            new("staleness", Round(staleness), StalenessWeight, inputs.DaysSinceModified is { } d
                ? $"last modified {d.ToString("0", CultureInfo.InvariantCulture)} days before the latest run" : "last modified unknown"),
        ];
        var badness = components.Sum(c => c.Value * c.Weight);
        var score = (int)Math.Clamp(Math.Round(10 - 9 * badness, MidpointRounding.AwayFromZero), 1, 10);
        return (score, components);
    }

    private static double Clamp(double value) => double.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0;

    private static double Round(double value) => Math.Round(value, 4);

    private static string Pct(double value) => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
