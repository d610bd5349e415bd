using System.Globalization;

namespace Modernizer.Samples;

/// <summary>What <c>modernize sample</c> writes. The defaults give the bundled retail workspace
/// (about 330 catalog jobs, a year of runs, a lake of a few MB); <see cref="Jobs"/> and
/// <see cref="Days"/> turn it into a portfolio of any size for benchmarks.</summary>
public sealed record SampleOptions
{
    /// <summary>The 12 coded jobs, the job without metadata and the planted jobs need room.</summary>
    public const int MinimumJobs = 60;

    /// <summary>Multiplies the row counts of the raw lake tables.</summary>
    public int Scale { get; init; } = 1;

    /// <summary>Total Lakeflow jobs in the catalog (coded + catalog-only + the job without metadata); null = 333.</summary>
    public int? Jobs { get; init; }

    /// <summary>Days of run history ending 2026-10-31.</summary>
    public int Days { get; init; } = 365;

    public int Seed { get; init; } = 42;

    /// <summary>Share of catalog-only jobs that also get code (templated from the 12); null = 0 for the
    /// default workspace, 0.05 when <see cref="Jobs"/> is given.</summary>
    public double? CodeShare { get; init; }

    /// <summary>Write the raw lake and run the reference programs for the curated lake.</summary>
    public bool IncludeLake { get; init; } = true;

    /// <summary>The interpreter that runs the reference programs.</summary>
    public string Python { get; init; } = "python3";

    /// <summary>Generator steps run at the same time: one per core, at most four (each holds its own working
    /// memory). Any value writes the same bytes; tests and the bench set it to compare.</summary>
    internal int Parallelism { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    internal int CatalogOnlyJobs => (Jobs ?? 333) - 13;

    internal double EffectiveCodeShare => CodeShare ?? (Jobs is null ? 0.0 : 0.05);

    /// <summary>Returns the first problem with the options, or null when they are usable.</summary>
    public string? Validate()
    {
        if (Scale is < 1 or > 1000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"--scale must be between 1 and 1000 (got {Scale})");
        }

        if (Jobs is { } jobs && (jobs < MinimumJobs || jobs > 200_000))
        {
            return string.Create(CultureInfo.InvariantCulture, $"--jobs must be between {MinimumJobs} and 200000 (got {jobs})");
        }

        if (Days is < 30 or > 3650)
        {
            return string.Create(CultureInfo.InvariantCulture, $"--days must be between 30 and 3650 (got {Days})");
        }

        if (CodeShare is { } share && (share < 0 || share > 1 || double.IsNaN(share)))
        {
            return "--code-share must be between 0 and 1";
        }

        return Seed < 0 ? "--seed must not be negative" : null;
    }
}
