using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Specs.Testing;
using Modernizer.Specs.Testing.Running;

namespace Modernizer.Agents.Stages;

/// <summary>Test Runner (R4.3) as a stage: every generated case against the rewrite on disk (<see cref="TestRunner"/>;
/// DuckDB locally, or a Databricks SQL warehouse when the engine is configured so). All pass: done. Failures go back
/// to the Code Writer (X4): the stage ends failed with a decision naming the failing cases, and after
/// <c>escalation.rewrite_attempts</c> failing rewrites it escalates with them.</summary>
public sealed class TestRunStageWork(AgentServices services) : SpecsStageWork(services)
{
    public const string FailedKind = "test_run_failed";

    public override RoleId Role => RoleId.TestRunner;

    public override Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = JobOf(context);
        var settings = SettingsOf(context);
        return StageInputHash.ComputeAsync(context.Workspace.Root,
            [Path.Combine(TestsFolder(context), TestArtifacts.Cases), RewriteLayout.For(context.Workspace, job).Folder],
            new { engine = settings.Engine, attempts = settings.Escalation.RewriteAttempts }, cancellationToken);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = JobOf(context);
        var settings = SettingsOf(context);
        var cases = Path.Combine(TestsFolder(context), TestArtifacts.Cases);
        if (!Directory.Exists(cases))
        {
            return Missing(job, "the generated test cases", cases);
        }

        var rewrite = RewriteLayout.For(context.Workspace, job);
        if (!Directory.Exists(rewrite.Folder) || !Directory.EnumerateFiles(rewrite.Folder, "*.sql").Any())
        {
            return Missing(job, "the rewrite", rewrite.Folder);
        }

        TestResults results;
        await using (var executors = CaseExecutors.Create(settings.Engine, Environment.GetEnvironmentVariable))
        {
            results = await new TestRunner(executors.Executor).RunAsync(context.Workspace, job, null, cancellationToken);
        }

        var reference = new Evidence(EvidenceKind.Decision, $"jobs/{job}/tests/results.json", $"rewrite@{results.RewriteHash}");
        var summary = string.Create(CultureInfo.InvariantCulture, $"{results.Passed} passed, {results.Failed} failed, {results.ExpectedUnknown} expected unknown, {results.Errors} errors on {results.Engine}");
        if (results.Errors > 0)
        {
            var errors = results.Cases.Where(c => c.Status == CaseStatus.Error).Select(c => $"{c.Id}: {c.Message}");
            return new StageOutcome(StageStatus.Failed, [], [Decision(job, "test_run_error", 1.0, "R4.3", summary + ". " + string.Join("; ", errors), [reference])], [], "The tests could not run: " + string.Join("; ", errors));
        }

        if (results.Failed == 0)
        {
            return StageOutcome.Completed([await ArtifactAsync(context, Path.Combine(TestsFolder(context), TestResults.FileName), cancellationToken)],
                [Decision(job, "test_run_passed", 1.0, "R4.3", summary + ".", [reference])], []);
        }

        // X4: each failing rewrite is an attempt; the Code Writer gets the failing cases back until the attempts run out.
        var attempts = await FailedAttemptsAsync(context.Workspace, job, results.RewriteHash, cancellationToken);
        var failing = results.Cases.Where(c => c.Status == CaseStatus.Failed).ToList();
        var evidence = failing.Take(20).Select(c => new Evidence(EvidenceKind.OutputData, $"jobs/{job}/tests/cases/{c.Id}.yaml", c.Message)).Prepend(reference).ToImmutableArray();
        var names = string.Join(", ", failing.Select(c => c.Id));
        var exhausted = attempts >= settings.Escalation.RewriteAttempts;
        var rationale = string.Create(CultureInfo.InvariantCulture,
            $"{summary}. Failing cases: {names}. {(exhausted ? $"Rewrite attempt {attempts} of {settings.Escalation.RewriteAttempts} still fails: a human looks at it." : $"Back to the Code Writer with the failing cases (rewrite attempt {attempts} of {settings.Escalation.RewriteAttempts}).")}");
        var decision = Decision(job, FailedKind, 1.0, exhausted ? "X4/rewrite-attempts-exhausted" : "X4/back-to-code-writer", rationale, evidence,
            exhausted ? DecisionOutcome.Escalated : DecisionOutcome.Autonomous, failing.Select(c => $"flip or fix {c.Id}"));
        var artifact = await ArtifactAsync(context, Path.Combine(TestsFolder(context), TestResults.FileName), cancellationToken);
        return exhausted
            ? new StageOutcome(StageStatus.Escalated, [artifact], [decision],
                [new EscalationRequest(job, Stage, Role, EscalationKind.ReconciliationFailure, $"Generated tests still fail after {attempts} rewrite attempts: {names}.", evidence)])
            : new StageOutcome(StageStatus.Failed, [artifact], [decision], [], $"{results.Failed} generated tests fail ({names}); back to the Code Writer.");
    }

    /// <summary>Rewrites whose tests failed, counted from the decision log by their hash (this one included).</summary>
    private static async Task<int> FailedAttemptsAsync(WorkspacePaths workspace, JobId job, string? hash, CancellationToken cancellationToken)
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        if (hash is not null)
        {
            hashes.Add(hash);
        }

        if (File.Exists(workspace.DecisionsJsonl))
        {
            foreach (var line in await File.ReadAllLinesAsync(workspace.DecisionsJsonl, cancellationToken))
            {
                if (!line.Contains(FailedKind, StringComparison.Ordinal))
                {
                    continue;
                }

                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("job_id", out var id) && id.GetString() == job.Value && root.TryGetProperty("kind", out var kind) && kind.GetString() == FailedKind
                    && root.TryGetProperty("evidence", out var evidence) && evidence.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in evidence.EnumerateArray())
                    {
                        if (item.TryGetProperty("detail", out var detail) && detail.GetString() is { } text && text.StartsWith("rewrite@", StringComparison.Ordinal))
                        {
                            hashes.Add(text["rewrite@".Length..]);
                        }
                    }
                }
            }
        }

        return hashes.Count;
    }
}
