using System.Collections.Immutable;
using System.Security.Cryptography;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Specs.Jobs;

namespace Modernizer.Agents.Stages;

/// <summary>The tier 2-3 roles built on <c>Modernizer.Specs</c> (R2.3, R3.1-R3.3, R4.3), for the composition root.</summary>
public static class SpecsStageWorks
{
    public static ImmutableArray<RoleId> Roles { get; } =
    [
        RoleId.RequirementsInferencer,
        RoleId.SpecWriter,
        RoleId.TestCaseDesigner,
        RoleId.TestDataGenerator,
        RoleId.TestHarnessBuilder,
        RoleId.TestRunner,
    ];

    public static IStageWork Create(RoleId role, AgentServices services) => role switch
    {
        RoleId.RequirementsInferencer => new RequirementsStageWork(services),
        RoleId.SpecWriter => new SpecStageWork(services),
        RoleId.TestCaseDesigner => new TestDesignStageWork(services),
        RoleId.TestDataGenerator => new TestDataStageWork(services),
        RoleId.TestHarnessBuilder => new TestHarnessStageWork(services),
        RoleId.TestRunner => new TestRunStageWork(services),
        _ => throw new ArgumentException($"{RoleCatalog.Get(role).DisplayName} is not a specification or test role.", nameof(role)),
    };
}

/// <summary>What the specification and test stages share: the job's inputs (code analysis re-run, profile,
/// catalog), the paths of their artifacts, and decisions in their role's name.</summary>
public abstract class SpecsStageWork(AgentServices services) : RoleStageWork(services)
{
    protected static JobId JobOf(StageContext context) =>
        context?.Job ?? throw new ArgumentException("The specification and test stages run per job.", nameof(context));

    protected static string TestsFolder(StageContext context) => Path.Combine(context.Workspace.JobOutput(JobOf(context)), "tests");

    protected static Task<JobInputs> LoadAsync(StageContext context, CancellationToken cancellationToken) =>
        JobInputsLoader.LoadAsync(context.Workspace, SettingsOf(context), JobOf(context), cancellationToken);

    /// <summary>Everything a job stage of this family reads besides its own upstream artifact: the job's code,
    /// its analysis and profile, the lake tables it reads and writes, the catalog's SLA files.</summary>
    protected static async Task<List<string>> JobReadsAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = JobOf(context);
        var output = context.Workspace.JobOutput(job);
        var paths = new List<string>
        {
            context.Workspace.JobCode(job),
            Path.Combine(output, "analysis.json"),
            Path.Combine(output, "profile.json"),
            Path.Combine(context.Workspace.Finops, "slas.csv"),
            context.Workspace.InventoryJson,
        };
        var tables = await JobTables.ReadAsync(context.Workspace, job, cancellationToken);
        if (tables is not null)
        {
            var settings = SettingsOf(context);
            paths.AddRange(tables.Sources.Concat(tables.Targets).Select(t => LakeTables.Find(context.Workspace, settings.Lake, t)).OfType<string>().Select(f => Path.Combine(f, "_delta_log")));
        }

        return paths;
    }

    protected DecisionDraft Decision(JobId job, string kind, double confidence, string rule, string rationale, IEnumerable<Evidence> evidence, DecisionOutcome outcome = DecisionOutcome.Autonomous, IEnumerable<string>? alternatives = null) =>
        new(job, Stage, Role, kind, outcome, new Confidence(Math.Clamp(confidence, 0, 1)), rule, rationale, [.. alternatives ?? []], [.. evidence]);

    protected static async Task<ArtifactRef> ArtifactAsync(StageContext context, string path, CancellationToken cancellationToken)
    {
        var relative = Path.GetRelativePath(context.Workspace.Output, path).Replace('\\', '/');
        if (Directory.Exists(path))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file).Replace('\\', '/') + "\n"));
                hash.AppendData(SHA256.HashData(await File.ReadAllBytesAsync(file, cancellationToken)));
            }

            return new ArtifactRef(relative + "/", Convert.ToHexStringLower(hash.GetHashAndReset()));
        }

        return new ArtifactRef(relative, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, cancellationToken))));
    }

    protected static StageOutcome Missing(JobId job, string what, string path) =>
        new(StageStatus.Failed, [], [], [], $"Job {job}: {what} is missing ({path}); the stage before must run first.");
}
