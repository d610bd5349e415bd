using System.Collections.Immutable;
using Modernizer.Delivery.Rewrites;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery.Analysis;

/// <summary>The Static Analyzer's engine (R4.2): sqlfluff, the zero-loop re-analysis (P2), our plan
/// checks, the secrets scan, bandit on a remaining Python driver and the idempotency check, on the
/// rewrite as it is on disk. Writes <c>validation.json</c>; when a finding blocks, also the rework
/// request the Code Writer reads (X4: the job goes back with the findings).</summary>
public sealed class StaticAnalyzer(WorkspacePaths workspace, ModernizeSettings settings)
{
    public static string ValidationPath(WorkspacePaths workspace, JobId job)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return Path.Combine(workspace.JobOutput(job), "validation.json");
    }

    public async Task<ValidationReport> AnalyzeAsync(JobId job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var rewrite = await RewriteManifest.ReadAsync(workspace, job, cancellationToken).ConfigureAwait(false);
        var analysis = settings.Delivery.StaticAnalysis;
        var findings = new List<Finding>();
        var tools = new List<ToolRun>();

        var config = SqlfluffConfig.Render(analysis, rewrite.Parameters);
        var (lint, lintRun) = await new SqlfluffCheck(analysis).RunAsync([rewrite.Layout.SparkSql], config, cancellationToken).ConfigureAwait(false);
        findings.AddRange(lint);
        tools.Add(lintRun);

        var (loops, loopRun) = await LoopCheck.RunAsync(rewrite, cancellationToken).ConfigureAwait(false);
        findings.AddRange(loops);
        tools.Add(loopRun);

        var sql = await File.ReadAllTextAsync(rewrite.Layout.SparkSql, cancellationToken).ConfigureAwait(false);
        findings.AddRange(PlanChecks.Run(rewrite.Layout.SparkSql, sql, rewrite.Targets));
        tools.Add(new ToolRun(PlanChecks.Tool, "ran", null, "SELECT *, column lists, partition predicates, paths, environment names, ANSI-safe arithmetic"));

        findings.AddRange(await SecretScanner.ScanFolderAsync(rewrite.Layout.Folder, cancellationToken).ConfigureAwait(false));
        tools.Add(new ToolRun(SecretScanner.Tool, "ran", null, "every file of the rewrite"));

        var (bandit, banditRun) = await new BanditCheck(analysis).RunAsync(rewrite.Layout.Folder, rewrite.PythonDrivers, cancellationToken).ConfigureAwait(false);
        findings.AddRange(bandit);
        tools.Add(banditRun);

        var (idempotency, idempotencyRun) = await new IdempotencyCheck(workspace, settings.Lake).RunAsync(rewrite, cancellationToken).ConfigureAwait(false);
        findings.AddRange(idempotency);
        tools.Add(idempotencyRun);

        var report = ValidationReport.Of(job.Value, rewrite.CurrentHash, findings, tools);
        await WriteAsync(workspace, job, report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>Writes validation.json and keeps the rework request in step with it: present while
    /// delivery is blocked, gone once it is not.</summary>
    public static async Task<string> WriteAsync(WorkspacePaths workspace, JobId job, ValidationReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sha = await AtomicFile.WriteJsonAsync(ValidationPath(workspace, job), report, cancellationToken).ConfigureAwait(false);
        var rework = ReworkRequest.PathFor(workspace, job, "static_analysis");
        if (report.Blocking)
        {
            var previous = await ReworkRequest.ReadAsync(rework, cancellationToken).ConfigureAwait(false);
            var attempt = previous is null ? 1 : previous.RewriteHash == report.RewriteHash ? previous.Attempt : previous.Attempt + 1;
            await AtomicFile.WriteJsonAsync(rework, new ReworkRequest(job.Value, "static_analysis", report.RewriteHash, attempt,
                [.. report.Findings.Where(f => f.Blocking)], [.. report.Tools.Where(t => t.Status == "failed")]), cancellationToken).ConfigureAwait(false);
        }
        else if (File.Exists(rework))
        {
            File.Delete(rework);
        }

        return sha;
    }
}

/// <summary>What goes back to the Code Writer when a later stage blocks delivery (X4):
/// <c>.modernize/jobs/&lt;job&gt;/rewrite-feedback/&lt;stage&gt;.json</c> with the blocking findings and the
/// rewrite they were found on. <see cref="Attempt"/> counts the rewrites that were sent back.</summary>
public sealed record ReworkRequest(string JobId, string FromStage, string RewriteHash, int Attempt, ImmutableArray<Finding> Findings, ImmutableArray<ToolRun> FailedTools)
{
    public static string PathFor(WorkspacePaths workspace, JobId job, string stage)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return Path.Combine(workspace.JobOutput(job), "rewrite-feedback", stage + ".json");
    }

    public static async Task<ReworkRequest?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await System.Text.Json.JsonSerializer.DeserializeAsync<ReworkRequest>(stream, JsonDefaults.Artifact, cancellationToken).ConfigureAwait(false);
    }
}
