using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Stages;

namespace Modernizer.Pipeline.Harness;

/// <summary>A deterministic workload for the supervisor's own tests (not a stand-in for any role):
/// every stage hashes its job's code and its upstream artifacts, writes one artifact atomically
/// and logs one decision. Job ids steer it: a job whose id contains <c>_esc</c> escalates at the
/// spec stage, one containing <c>_fail</c> fails at test_data, one containing <c>_flaky</c> throws
/// a transient IOException on the first attempt of code_review, one containing <c>_crash</c> overflows
/// the stack at code_review (the runtime ends the process; nothing can catch it). A stage named by
/// <c>hangAt</c> waits until it is cancelled. Prioritize writes a backlog of every job folder plus
/// <c>job_nocode</c>, which has no code.</summary>
public sealed class SyntheticStage : IStageWork
{
    private readonly RoleDefinition _role;
    private readonly int _delayMs;
    private readonly Action<string>? _onRun;
    private readonly string? _hangAt;

    public SyntheticStage(RoleDefinition role, int delayMs = 0, Action<string>? onRun = null, string? hangAt = null)
    {
        _role = role;
        _delayMs = delayMs;
        _onRun = onRun;
        _hangAt = hangAt;
    }

    public RoleId Role => _role.Role;

    public StageId Stage => _role.Stage;

    private int _runs;

    /// <summary>How many times this stage's work ran (all jobs, all attempts).</summary>
    public int Runs => Volatile.Read(ref _runs);

    public static ImmutableArray<IStageWork> All(int delayMs = 0, Func<RoleDefinition, bool>? include = null) =>
        RoleCatalog.All.Where(r => r.Role != RoleId.Supervisor && (include?.Invoke(r) ?? true))
            .Select(r => (IStageWork)new SyntheticStage(r, delayMs)).ToImmutableArray();

    public async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = new StringBuilder().Append(_role.Stage.Name).Append('|').Append(context.Job?.Value);
        if (context.Job is { } job)
        {
            var code = context.Workspace.JobCode(job);
            if (Directory.Exists(code))
            {
                foreach (var file in Directory.EnumerateFiles(code).Order(StringComparer.Ordinal))
                {
                    text.Append('|').Append(Path.GetFileName(file)).Append('=').Append(await File.ReadAllTextAsync(file, cancellationToken));
                }
            }
        }

        foreach (var upstream in _role.DependsOn)
        {
            var artifact = ArtifactPath(context, upstream);
            text.Append('|').Append(upstream.Name).Append('=')
                .Append(File.Exists(artifact) ? Hash(await File.ReadAllBytesAsync(artifact, cancellationToken)) : "missing");
        }

        return Hash(Encoding.UTF8.GetBytes(text.ToString()));
    }

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        Interlocked.Increment(ref _runs);
        _onRun?.Invoke($"{context.Job?.Value ?? "(portfolio)"}/{_role.Stage.Name}");
        if (_delayMs > 0)
        {
            await Task.Delay(_delayMs, cancellationToken);
        }

        if (_role.Stage.Name == _hangAt)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var job = context.Job?.Value ?? string.Empty;
        if (_role.Stage == StageId.CodeReview && job.Contains("_crash", StringComparison.Ordinal))
        {
            Overflow(0);
        }

        if (_role.Stage == StageId.CodeReview && job.Contains("_flaky", StringComparison.Ordinal) && context.Attempt == 1)
        {
            throw new IOException("the code share was briefly unavailable");
        }

        if (_role.Stage == StageId.TestData && job.Contains("_fail", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"fixture for {job} cannot be generated");
        }

        var inputHash = await ComputeInputHashAsync(context, cancellationToken);
        var artifacts = ImmutableArray.CreateBuilder<ArtifactRef>();
        var path = ArtifactPath(context, _role.Stage);
        var content = $"{{\"stage\":\"{_role.Stage.Name}\",\"job\":\"{job}\",\"input\":\"{inputHash}\"}}\n";
        await AtomicFile.WriteAllTextAsync(path, content, cancellationToken);
        artifacts.Add(new ArtifactRef(Path.GetRelativePath(context.Workspace.Output, path).Replace('\\', '/'), Hash(Encoding.UTF8.GetBytes(content))));

        if (_role.Stage == StageId.Prioritize)
        {
            var jobs = Directory.Exists(context.Workspace.Jobs)
                ? Directory.EnumerateDirectories(context.Workspace.Jobs).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
                : [];
            jobs.Add("job_nocode");
            var candidates = string.Join(",", jobs.Select((j, i) => string.Create(CultureInfo.InvariantCulture, $"{{\"rank\":{i + 1},\"job_id\":\"{j}\",\"score\":{1.0 - (i * 0.01):0.00}}}")));
            var backlog = $"{{\"candidates\":[{candidates}]}}\n";
            await AtomicFile.WriteAllTextAsync(context.Workspace.BacklogJson, backlog, cancellationToken);
            artifacts.Add(new ArtifactRef("portfolio/backlog.json", Hash(Encoding.UTF8.GetBytes(backlog))));
        }

        var decisions = ImmutableArray.Create(new DecisionDraft(context.Job, _role.Stage, _role.Role, "synthetic_step", DecisionOutcome.Autonomous,
            new Confidence(0.9), _role.RequirementId, $"{_role.DisplayName} processed {job} deterministically", ["skip"],
            [new Evidence(EvidenceKind.CodeSpan, $"jobs/{job}/main.py:1")])
        { Tokens = 10, CostUsd = 0.01m });
        if (_role.Stage == StageId.Spec && job.Contains("_esc", StringComparison.Ordinal))
        {
            var request = new EscalationRequest(context.Job, _role.Stage, _role.Role, EscalationKind.RegulatoryLowConfidence,
                $"SOX rule of {job} inferred at 0.40 confidence", [new Evidence(EvidenceKind.CodeSpan, $"jobs/{job}/main.py:3")]);
            decisions = decisions.Add(new DecisionDraft(context.Job, _role.Stage, _role.Role, "regulatory_requirement", DecisionOutcome.Escalated,
                new Confidence(0.4), "X3.regulatory_low_confidence", request.Summary, ["interpretation b"], request.Evidence));
            return StageOutcome.Completed(artifacts.ToImmutable(), decisions, [request]);
        }

        return StageOutcome.Completed(artifacts.ToImmutable(), decisions, []);
    }

    private static string ArtifactPath(StageContext context, StageId stage) =>
        context.Job is { } job
            ? Path.Combine(context.Workspace.JobOutput(job), stage.Name + ".json")
            : Path.Combine(context.Workspace.Portfolio, stage.Name + ".json");

    /// <summary>Recurses until the stack is exhausted (the addition keeps it from being a tail call).</summary>
    private static int Overflow(int depth) => Overflow(depth + 1) + 1;

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
