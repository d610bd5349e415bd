using System.Globalization;

namespace Modernizer.Lake.Tables;

/// <summary>Time travel: a Delta version or a point in time (Spark's VERSION AS OF / TIMESTAMP AS OF).</summary>
public sealed record TableVersionSpec
{
    private TableVersionSpec(long? version, DateTimeOffset? timestamp)
    {
        Version = version;
        Timestamp = timestamp;
    }

    public long? Version { get; }

    public DateTimeOffset? Timestamp { get; }

    public static TableVersionSpec AtVersion(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new TableVersionSpec(version, null);
    }

    public static TableVersionSpec AtTimestamp(DateTimeOffset timestamp) => new(null, timestamp);

    public override string ToString() => Version is { } v
        ? "version " + v.ToString(CultureInfo.InvariantCulture)
        : "timestamp " + Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture);
}
