using System.Collections.Immutable;

namespace Modernizer.Samples;

/// <summary>What was written: one entry per top-level area of the workspace.</summary>
public sealed record SampleSummary(string Directory, ImmutableArray<SampleArea> Areas, TimeSpan Elapsed);

/// <summary>An area of the workspace (jobs, catalog, finops, lake/raw, lake/curated, ...).</summary>
public sealed record SampleArea(string Name, int Files, long Bytes, string Detail);
