using System.Collections.Immutable;

namespace Modernizer.Portfolio.Ingestion;

/// <summary>What the workspace knows about one coded job (jobs/&lt;job_id&gt;/): its job.yaml, the size
/// of its code and, when tier 2 has run, the counts from .modernize/jobs/&lt;job_id&gt;/analysis.json.</summary>
internal sealed record JobManifest(
    string JobId,
    string? Name,
    string? Schedule,
    string? Owner,
    ImmutableArray<string> Tags,
    string? CatalogSource,
    string? CatalogWorkspaceId,
    string? CatalogJobId,
    long CodeLines,
    int CodeFiles,
    bool HasManifest,
    CodeAnalysisSummary? Analysis);

/// <summary>The parts of analysis.json tier 1 uses: table lineage, anti-pattern counts and the
/// rule ids that make a rewrite harder.</summary>
internal sealed record CodeAnalysisSummary(
    string RelativePath,
    ImmutableArray<string> Sources,
    ImmutableArray<string> Targets,
    int AntiPatterns,
    int SuspectedDefects,
    ImmutableArray<string> RuleIds);
