using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Serialization;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Profiling;
using Modernizer.Lake.Tables;

namespace Modernizer.Agents.Stages;

/// <summary>jobs/&lt;job&gt;/profile.json of the Data Profiler stage: one profile per table the job reads
/// (<c>role: source</c>) or writes (<c>role: target</c>), each in the lake's profile format.
/// The top-level <c>table, version, rows, files, bytes, columns</c> are those of the job's primary
/// output (its first target, else its first source), so the docs/workspace.md single-table fields hold
/// for job profiles too; <c>tables</c> has every table.</summary>
public sealed record JobProfile(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("tables")] ImmutableArray<JobTableProfile> Tables,
    [property: JsonPropertyName("missing_tables")] ImmutableArray<string> MissingTables)
{
    private JobTableProfile? Primary => Tables.FirstOrDefault(t => t.Role == "target") ?? Tables.FirstOrDefault();

    [JsonPropertyName("table")]
    public string? Table => Primary?.Table;

    [JsonPropertyName("version")]
    public long? Version => Primary?.Version;

    [JsonPropertyName("rows")]
    public long? Rows => Primary?.Rows;

    [JsonPropertyName("files")]
    public int? Files => Primary?.Files;

    [JsonPropertyName("bytes")]
    public long? Bytes => Primary?.Bytes;

    [JsonPropertyName("columns")]
    public ImmutableArray<ColumnProfile> Columns => Primary?.Columns ?? [];
}

public sealed record JobTableProfile(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("table")] string Table,
    [property: JsonPropertyName("version")] long? Version,
    [property: JsonPropertyName("rows")] long Rows,
    [property: JsonPropertyName("files")] int Files,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("columns")] ImmutableArray<ColumnProfile> Columns);

/// <summary>Data Profiler (R2.2) as a stage: the lake engine's <see cref="TableProfiler"/> over every source
/// and target of the job named by the Code Reviewer's analysis, in a DuckDB sandboxed to those tables.
/// Raw/curated type differences are classified (deterministically by the code's column lineage; with a
/// model, by judgment checked against the same facts); curated rows far above raw rows with no
/// explainable fan-out escalate as potential corruption (X3).</summary>
public sealed class ProfileStageWork(AgentServices services) : RoleStageWork(services)
{
    public override RoleId Role => RoleId.DataProfiler;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job ?? throw new ArgumentException("The profile stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        var tables = await JobTables.ReadAsync(context.Workspace, job, cancellationToken).ConfigureAwait(false);
        var paths = new List<string> { JobTables.AnalysisPath(context.Workspace, job) };
        if (tables is not null)
        {
            // Delta logs and Parquet files: a new table version is a new input.
            paths.AddRange(tables.Sources.Concat(tables.Targets).Select(t => LakeLocator.Find(context.Workspace, settings.Lake, t)).OfType<string>());
        }

        return await StageInputHash.ComputeAsync(context.Workspace.Root, paths, new { model = ModelIdentity, corruption = settings.Escalation.CorruptionRowRatio }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = context.Job ?? throw new ArgumentException("The profile stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        var tables = await JobTables.ReadAsync(context.Workspace, job, cancellationToken).ConfigureAwait(false);
        if (tables is null)
        {
            return new StageOutcome(StageStatus.Failed, [], [], [], $"No code analysis for job {job} ({JobTables.AnalysisPath(context.Workspace, job)}): the Code Reviewer stage must run first.");
        }

        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        var escalations = ImmutableArray.CreateBuilder<EscalationRequest>();
        var profiles = ImmutableArray.CreateBuilder<JobTableProfile>();
        var missing = ImmutableArray.CreateBuilder<string>();
        foreach (var (name, tableRole) in tables.Sources.Select(s => (s, "source")).Concat(tables.Targets.Select(t => (t, "target"))))
        {
            var folder = LakeLocator.Find(context.Workspace, settings.Lake, name);
            if (folder is null)
            {
                missing.Add(name);
                decisions.Add(Decision(job, "table_not_in_lake", 1.0, $"{tableRole} table {name} is not in the workspace lake; it is not profiled.", []));
                continue;
            }

            var snapshot = await LakeTable.OpenAsync(folder, null, cancellationToken).ConfigureAwait(false);
            await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables(snapshot), cancellationToken).ConfigureAwait(false);
            var profile = await TableProfiler.ProfileAsync(snapshot, engine, null, cancellationToken).ConfigureAwait(false);
            profiles.Add(new JobTableProfile(tableRole, name, profile.Table, profile.Version, profile.Rows, profile.Files, profile.Bytes, profile.Columns));
            decisions.Add(Decision(job, "table_profiled", 1.0,
                string.Create(CultureInfo.InvariantCulture, $"Profiled {tableRole} {name}: {profile.Rows} rows, {profile.Columns.Length} columns, version {profile.Version?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}."),
                [new Evidence(tableRole == "source" ? EvidenceKind.SourceData : EvidenceKind.OutputData, $"jobs/{WorkspacePaths.JobFolder(job)}/profile.json#{name}")]));
        }

        var result = new JobProfile(job.Value, profiles.ToImmutable(), missing.ToImmutable());
        var known = result.Tables.SelectMany(t => t.Columns.Select(c => $"jobs/{WorkspacePaths.JobFolder(job)}/profile.json#{t.Name}.{c.Name}"))
            .Concat(result.Tables.Select(t => $"jobs/{WorkspacePaths.JobFolder(job)}/profile.json#{t.Name}")).ToImmutableHashSet(StringComparer.Ordinal);
        foreach (var step in await JudgeAsync(job, result, tables, settings.Escalation.CorruptionRowRatio, known, cancellationToken).ConfigureAwait(false))
        {
            decisions.AddRange(step.Decisions);
            escalations.AddRange(step.Escalations);
        }

        var output = context.Workspace.JobOutput(job);
        var sha = await AtomicFile.WriteJsonAsync(Path.Combine(output, "profile.json"), result, cancellationToken).ConfigureAwait(false);
        var markdown = string.Join("\n\n", result.Tables.Select(t => ProfileWriter.Markdown(
            new TableProfile(t.Table, t.Version, "delta", t.Rows, t.Files, t.Bytes, "duckdb", "", t.Columns))));
        await AtomicFile.WriteAllTextAsync(Path.Combine(output, "profile.md"), $"# Profile of job {job}\n\n{markdown}\n", cancellationToken).ConfigureAwait(false);
        var mdSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(output, "profile.md"), cancellationToken).ConfigureAwait(false)));
        return StageOutcome.Completed(
            [new ArtifactRef($"jobs/{WorkspacePaths.JobFolder(job)}/profile.json", sha), new ArtifactRef($"jobs/{WorkspacePaths.JobFolder(job)}/profile.md", mdSha)],
            decisions.ToImmutable(), Distinct(escalations));
    }

    /// <summary>One judgment per target column whose type differs from the source column it derives from,
    /// and one corruption check per target.</summary>
    private async Task<ImmutableArray<StepResult<SchemaMismatchClassification>>> JudgeAsync(
        JobId job, JobProfile profile, JobTables tables, double corruptionRatio, ImmutableHashSet<string> known, CancellationToken cancellationToken)
    {
        var role = Services.Roles.Get<DataProfilerRole>();
        var results = ImmutableArray.CreateBuilder<StepResult<SchemaMismatchClassification>>();
        var sources = profile.Tables.Where(t => t.Role == "source").ToArray();
        var maxSourceRows = sources.Length == 0 ? 0 : sources.Max(s => s.Rows);
        foreach (var target in profile.Tables.Where(t => t.Role == "target"))
        {
            var fanOutExplained = tables.FansOut;
            foreach (var column in target.Columns)
            {
                var lineage = tables.ColumnLineage.TryGetValue($"{target.Name}.{column.Name}", out var inputs) ? inputs : [];
                var sourceColumn = sources.SelectMany(s => s.Columns.Select(c => (Table: s.Name, Column: c)))
                    .FirstOrDefault(sc => string.Equals(sc.Column.Name, column.Name, StringComparison.OrdinalIgnoreCase));
                if (sourceColumn.Column is null || string.Equals(sourceColumn.Column.Type, column.Type, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var input = new SchemaMismatchInput(target.Name, column.Name, sourceColumn.Column.Type, column.Type, lineage, maxSourceRows, target.Rows, fanOutExplained);
                var evidence = ImmutableArray.Create($"jobs/{WorkspacePaths.JobFolder(job)}/profile.json#{target.Name}.{column.Name}", $"jobs/{WorkspacePaths.JobFolder(job)}/profile.json#{sourceColumn.Table}.{sourceColumn.Column.Name}");
                // The code derives the column: a deliberate cast. No lineage: nothing in the code explains the change.
                var deterministic = lineage.IsEmpty
                    ? new SchemaMismatchClassification(DataProfilerRole.Bug, "no column lineage explains the type change", 0.6, evidence)
                    : new SchemaMismatchClassification(DataProfilerRole.Intentional, "the code derives the column (" + string.Join(", ", lineage) + ")", 0.8, evidence);
                results.Add(await Services.Step.DecideAsync(role, new Judgment.JudgmentRequest<SchemaMismatchInput>(job, input, [], known, []),
                    deterministic, "schema_mismatch", c => $"{target.Name}.{column.Name} {input.RawType} -> {input.CuratedType}: {c.Classification}", cancellationToken).ConfigureAwait(false));
            }

            var corruption = DataProfilerRole.Corruption(job, target.Name, maxSourceRows, target.Rows, fanOutExplained, corruptionRatio);
            if (!corruption.IsEmpty)
            {
                var summary = corruption[0].Summary;
                results.Add(new StepResult<SchemaMismatchClassification>(
                    new SchemaMismatchClassification(DataProfilerRole.Bug, summary, 1.0, [$"jobs/{WorkspacePaths.JobFolder(job)}/profile.json#{target.Name}"]),
                    false,
                    [Decision(job, "potential_data_corruption", 1.0, summary, [new Evidence(EvidenceKind.OutputData, $"jobs/{WorkspacePaths.JobFolder(job)}/profile.json#{target.Name}")]) with { Outcome = DecisionOutcome.Escalated }],
                    corruption));
            }
        }

        return results.ToImmutable();
    }

    private DecisionDraft Decision(JobId job, string kind, double confidence, string rationale, ImmutableArray<Evidence> evidence) =>
        new(job, Stage, Role, kind, DecisionOutcome.Autonomous, new Confidence(confidence), "R2.2", rationale, [], evidence);
}
