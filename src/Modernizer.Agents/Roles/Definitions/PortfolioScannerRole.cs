using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R1.1 judgment input: a job whose catalog metadata is incomplete, with facts from its run log.</summary>
public sealed record MetadataGapInput(
    string JobId,
    ImmutableArray<string> MissingFields,
    int Runs,
    ImmutableArray<string> RunStartTimes,
    int RankByVolume,
    int RankByFrequency);

/// <summary>R1.1 judgment: the inferred schedule, with confidence and the run-log rows behind it.</summary>
public sealed record MetadataInference(string? Schedule, string Rationale, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Portfolio Scanner (R1.1): inventory from catalog and execution logs; infers missing metadata
/// from the logs with a confidence; escalates only a top-50 job whose metadata is completely missing.</summary>
public sealed class PortfolioScannerRole : RoleSpec<MetadataGapInput, MetadataInference>
{
    public override RoleId Role => RoleId.PortfolioScanner;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You build the job inventory of a data platform of thousands of daily ETL jobs (PySpark and Spark SQL on
        Delta Lake). The catalog is sometimes incomplete. When a job's schedule is missing, infer it from the
        start times of its runs: a daily job starts about every 24 hours at a similar time, an hourly job every
        hour, a weekly job every 7 days. Use a cron expression ("0 2 * * *") or null when the runs do not show a
        pattern. Lower your confidence when runs are few or irregular. Cite the run rows you used.
        """;

    public override string JudgmentQuestion => "Infer the missing schedule of this job from its run history.";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(MetadataGapInput input, MetadataInference output) =>
        output.Schedule is not null && output.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5
            ? "schedule must be a five-field cron expression or null."
            : null;

    public override ImmutableArray<EscalationRequest> CheckEscalations(JobId? job, MetadataGapInput input, MetadataInference output, EscalationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(thresholds);
        var completelyMissing = input.Runs == 0 && input.MissingFields.Length > 0;
        var top = Math.Min(input.RankByVolume, input.RankByFrequency) <= thresholds.TopJobsForMetadata;
        return completelyMissing && top
            ? [new EscalationRequest(job, Stage, Role, EscalationKind.MissingMetadataTopJob,
                $"Job {input.JobId} has no metadata and no runs, and is in the top {thresholds.TopJobsForMetadata} by volume or frequency.",
                [new Evidence(EvidenceKind.Catalog, $"catalog/jobs.csv#{input.JobId}")])]
            : [];
    }
}
