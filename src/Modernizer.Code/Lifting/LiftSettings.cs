using System.Collections.Immutable;

namespace Modernizer.Code.Lifting;

/// <summary>What the environment of the legacy runs was, where code cannot tell (SEMANTICS: time zones),
/// and which alternative interpretation an attempt uses.</summary>
/// <param name="DriverTimeZone">The driver's local zone (datetime.fromtimestamp, date.today(), collected timestamps).</param>
/// <param name="SessionTimeZone">spark.sql.session.timeZone of the legacy runs.</param>
/// <param name="Choices">Assumption id → the alternative this attempt takes (the X4 retry loop).</param>
public sealed record LiftSettings(string DriverTimeZone, string SessionTimeZone, ImmutableDictionary<string, string> Choices)
{
    public static LiftSettings Default { get; } = new("UTC", "UTC", ImmutableDictionary<string, string>.Empty);

    /// <summary>Path prefixes in code (/mnt/lake) → the lake folder they mount, relative ("lake").</summary>
    public ImmutableDictionary<string, string> Mounts { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The table a path names: a mount followed by schema/table (or catalog/schema/table).</summary>
    public string? TableOfPath(string path)
    {
        foreach (var (prefix, _) in Mounts.OrderByDescending(m => m.Key.Length))
        {
            var root = prefix.TrimEnd('/') + "/";
            if (path.StartsWith(root, StringComparison.Ordinal))
            {
                var parts = path[root.Length..].Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length is 2 or 3 ? string.Join(".", parts) : null;
            }
        }

        return null;
    }

    public bool Chose(string assumptionId, string alternative) =>
        Choices.TryGetValue(assumptionId, out var chosen) && string.Equals(chosen, alternative, StringComparison.Ordinal);
}
