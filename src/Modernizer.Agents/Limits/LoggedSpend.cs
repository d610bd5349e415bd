using System.Globalization;
using System.Text.Json;

namespace Modernizer.Agents.Limits;

/// <summary>Model spend a job already has in the workspace's decision log (<c>.modernize/decisions.jsonl</c>,
/// fields <c>job_id</c>, <c>tokens</c>, <c>cost_usd</c>), so a resumed or repeated run starts its per-job
/// budget where earlier processes left it (R5.2 limits hold across restarts). The log keeps total tokens
/// only; they are carried over as input tokens.</summary>
public static class LoggedSpend
{
    /// <summary>The budget scope of portfolio (tier-1) decisions, which carry no job id.</summary>
    public const string PortfolioScope = "portfolio";

    /// <summary>Sums the spend of <paramref name="scope"/> in <paramref name="decisionsJsonl"/>; nothing
    /// when the log does not exist yet. A line that is not a decision is an error naming file and line:
    /// spend that cannot be read cannot be budgeted.</summary>
    public static async Task<UsageSnapshot> ReadAsync(string decisionsJsonl, string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisionsJsonl);
        ArgumentNullException.ThrowIfNull(scope);
        if (!File.Exists(decisionsJsonl))
        {
            return default;
        }

        long tokens = 0;
        var cost = 0m;
        var lineNumber = 0;
        using var reader = new StreamReader(decisionsJsonl);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var entry = JsonDocument.Parse(line);
                var root = entry.RootElement;
                var job = root.TryGetProperty("job_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                if (!string.Equals(job ?? PortfolioScope, scope, StringComparison.Ordinal))
                {
                    continue;
                }

                tokens += root.TryGetProperty("tokens", out var t) ? t.GetInt64() : 0;
                cost += root.TryGetProperty("cost_usd", out var c) ? c.GetDecimal() : 0m;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{decisionsJsonl}:{lineNumber}: not a decision entry, so the spend already logged for '{scope}' cannot be read ({e.Message})."), e);
            }
        }

        return new UsageSnapshot(tokens, 0, cost);
    }
}
