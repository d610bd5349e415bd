using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R2.2 judgment input: a schema difference between a raw input and the curated output, the code's
/// lineage for the column, and the row counts on both sides.</summary>
public sealed record SchemaMismatchInput(string Table, string Column, string RawType, string CuratedType, ImmutableArray<string> LineageSources, long RawRows, long CuratedRows, bool FanOutExplained);

/// <summary>R2.2 judgment: intentional transformation or bug.</summary>
public sealed record SchemaMismatchClassification(string Classification, string Rationale, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Data Profiler (R2.2): profiles inputs and outputs; classifies raw/curated schema mismatches
/// with the code analysis; escalates potential data corruption (curated rows far above raw rows with no
/// explainable fan-out).</summary>
public sealed class DataProfilerRole : RoleSpec<SchemaMismatchInput, SchemaMismatchClassification>
{
    public const string Intentional = "intentional_transformation";
    public const string Bug = "bug";

    /// <summary>Curated rows above this multiple of raw rows, unexplained by a join, suggest corruption.</summary>
    public const double CorruptionFanOut = 1.5;

    public override RoleId Role => RoleId.DataProfiler;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You profile the tables an ETL job reads and writes. The profiler engine computes row counts, null rates,
        distinct counts and ranges exactly; you never restate or change them. You are asked to classify a schema
        difference between a raw column and its curated counterpart as an intentional transformation (a cast,
        a rename, a derived column the code clearly produces) or a bug (a silent truncation, a lost precision the
        code does not ask for). Base the call on the lineage and the profile facts given.
        """;

    public override string JudgmentQuestion => "Is this schema difference an intentional transformation or a bug?";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(SchemaMismatchInput input, SchemaMismatchClassification output) =>
        output.Classification is Intentional or Bug ? null : $"classification must be '{Intentional}' or '{Bug}'.";

    public override ImmutableArray<EscalationRequest> CheckEscalations(JobId? job, SchemaMismatchInput input, SchemaMismatchClassification output, EscalationThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Corruption(job, input.Table, input.RawRows, input.CuratedRows, input.FanOutExplained, CorruptionFanOut);
    }

    /// <summary>X3 "potential data corruption": curated rows above <paramref name="ratio"/> times the raw rows
    /// with no fan-out (join, explode) in the code to explain them.</summary>
    public static ImmutableArray<EscalationRequest> Corruption(JobId? job, string table, long rawRows, long curatedRows, bool fanOutExplained, double ratio) =>
        rawRows > 0 && curatedRows > rawRows * ratio && !fanOutExplained
            ? [new EscalationRequest(job, StageId.Profile, RoleId.DataProfiler, EscalationKind.DataCorruption,
                $"{table}: {curatedRows} curated rows from {rawRows} raw rows with no explainable fan-out.",
                [new Evidence(EvidenceKind.OutputData, $"profile:{table}")])]
            : [];
}
