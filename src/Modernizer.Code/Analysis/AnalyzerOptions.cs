using System.Collections.Immutable;
using Modernizer.Code.Frontend;
using Modernizer.Code.Plan;

namespace Modernizer.Code.Analysis;

/// <summary>Where a job's code is: its folder, optional job.yaml parameters (widget defaults).</summary>
public sealed record JobSource(string JobId, string Folder)
{
    /// <summary>A job folder whose id is the folder name (SAMPLE-CONTRACT: job_id is the folder name).</summary>
    public static JobSource FromFolder(string folder) =>
        new(new DirectoryInfo(Path.GetFullPath(folder)).Name, Path.GetFullPath(folder));
}

/// <summary>Column profile facts for value-pattern PII detection and uniqueness checks.</summary>
public sealed record ColumnProfile(string Table, string Column, long Rows, long Distinct, ImmutableArray<string> SampleValues);

/// <summary>What the analyzer may use besides the code.</summary>
public sealed record AnalyzerOptions
{
    public static AnalyzerOptions Default { get; } = new();

    /// <summary>Path prefixes that map onto the lake (modernize.yaml <c>lake.mounts</c>).</summary>
    public LakeMounts Mounts { get; init; } = LakeMounts.Default;

    /// <summary>Typed lake table schemas (e.g. <see cref="LakeSchemaProvider"/>): expand <c>SELECT *</c>, type plan scans, check lookup keys.</summary>
    public ISchemaProvider? Schemas { get; init; }

    /// <summary>Column profiles (R2.2), when the Data Profiler has run.</summary>
    public ImmutableArray<ColumnProfile> Profiles { get; init; } = [];

    /// <summary>Schemas whose tables are not curated outputs (PII escalation applies to the others).</summary>
    public ImmutableArray<string> NonCuratedSchemas { get; init; } = ["raw", "staging", "stage", "tmp", "temp", "scratch", "landing", "bronze"];

    /// <summary>Tables known to keep several rows per business key (table → version column), from
    /// profiles or from other jobs that deduplicate them; joins to them without a dedup fan out.
    /// <see cref="JobAnalyzer.AnalyzeManyAsync"/> adds what the batch's jobs show.</summary>
    public ImmutableDictionary<string, string> VersionedTables { get; init; } = ImmutableDictionary<string, string>.Empty;

    public string PythonExecutable { get; init; } = "python3";

    /// <summary>Parallel python3 workers; default one per core.</summary>
    public int? Workers { get; init; }
}
