using System.Collections.Immutable;
using System.ComponentModel;
using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Modernizer.Delivery;
using Modernizer.Delivery.Analysis;
using Modernizer.Delivery.Promotion;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.State;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Delivery;

public sealed class PackageSettings : WorkspaceSettings
{
    [CommandOption("--job <ID>")]
    [Description("A job to package (repeat for several). Default: every job with a rewrite.")]
    public string[] Jobs { get; init; } = [];
}

public sealed class PromoteSettings : WorkspaceSettings
{
    [CommandOption("--job <ID>")]
    [Description("The job to promote or roll back.")]
    public string Job { get; init; } = string.Empty;

    [CommandOption("--env <ENV>")]
    [Description("dev, staging or prod.")]
    public string Environment { get; init; } = string.Empty;

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Job) ? ValidationResult.Error("--job is required")
        : Environment is not ("dev" or "staging" or "prod") ? ValidationResult.Error("--env must be dev, staging or prod")
        : base.Validate();
}

/// <summary><c>modernize package</c>: static analysis when validation.json is missing or stale, then the
/// Databricks Asset Bundle, its commit, push and pull request (R4.2, R5.1). Exit 0 packaged, 1 a bundle was
/// refused (blocking findings or secrets), 2 error.</summary>
internal sealed class PackageCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<PackageSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PackageSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await WorkspaceSession.OpenAsync(settings.Workspace, services.Environment, cancellationToken);
        var service = DeliveryLog.Service(session, services);
        var jobs = settings.Jobs.Length > 0 ? settings.Jobs.Select(j => new JobId(j)).ToList() : DeliveryLog.JobsWithRewrites(session);
        if (jobs.Count == 0)
        {
            throw new CliException($"no job of {session.Paths.Root} has a rewrite (.modernize/jobs/<job>/rewrite/rewrite.json)");
        }

        var reports = new List<ValidationReport>();
        foreach (var job in jobs)
        {
            var current = Modernizer.Domain.Workspace.RewriteLayout.Hash(Modernizer.Domain.Workspace.RewriteLayout.For(session.Paths, job).Folder);
            var existing = (await Modernizer.Delivery.Inputs.JobEvidence.ReadAsync(session.Paths, job, cancellationToken)).Validation;
            if (existing is null || existing.RewriteHash != current)
            {
                var analysed = await service.AnalyzeAsync(job, cancellationToken);
                await DeliveryLog.AppendAsync(session, services, job, StageId.StaticAnalysis, analysed.Decisions, analysed.Result.Blocking ? StageStatus.Failed : StageStatus.Completed, cancellationToken);
                reports.Add(analysed.Result);
            }
            else
            {
                reports.Add(existing);
            }
        }

        var blocked = reports.Where(r => r.Blocking).Select(r => r.JobId).ToHashSet(StringComparer.Ordinal);
        var packaged = await service.PackageAsync([.. jobs.Where(j => !blocked.Contains(j.Value))], cancellationToken);
        foreach (var job in jobs.Where(j => !blocked.Contains(j.Value)))
        {
            await DeliveryLog.AppendAsync(session, services, job, StageId.Deploy, [.. packaged.Decisions.Where(d => d.JobId == job)], StageStatus.Completed, cancellationToken);
        }

        var output = new
        {
            validation = reports.Select(r => new { job_id = r.JobId, r.Blocking, errors = r.Count(Severity.Error), warnings = r.Count(Severity.Warning), r.Findings }),
            bundles = packaged.Result.Select(p => new
            {
                jobs = p.Jobs,
                name = p.Bundle.Name,
                folder = p.Bundle.Folder,
                files = p.Bundle.Files,
                warnings = p.Bundle.Warnings,
                secrets = p.Bundle.Secrets,
                branch = p.Branch?.Branch,
                commit = p.Branch?.CommitSha,
                pull_request = p.PullRequest,
                p.Message,
            }),
        };
        if (settings.WantsJson)
        {
            await JsonOutput.WriteAsync(console, settings.JsonFile, output, cancellationToken);
        }

        if (!settings.WantsJson || settings.JsonFile is not null)
        {
            foreach (var report in reports)
            {
                var table = new Table().Title($"static analysis: {report.JobId} ({(report.Blocking ? "blocking" : "clean")})").AddColumns("severity", "tool", "rule", "where", "message");
                foreach (var f in report.Findings.Take(40))
                {
                    table.AddRow(f.Severity.ToString().ToLowerInvariant(), f.Tool, f.Rule, Markup.Escape($"{f.File}:{f.Line}"), Markup.Escape(f.Message));
                }

                console.Write(table);
            }

            foreach (var p in packaged.Result)
            {
                console.MarkupLine(Markup.Escape($"{string.Join(", ", p.Jobs)}: {p.Message}"));
                foreach (var warning in p.Bundle.Warnings)
                {
                    console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(warning));
                }

                foreach (var secret in p.Bundle.Secrets)
                {
                    console.MarkupLine("[red]secret:[/] " + Markup.Escape($"{secret.File}:{secret.Line} {secret.Message}"));
                }
            }

            foreach (var job in blocked)
            {
                console.MarkupLine(Markup.Escape($"{job}: not packaged: static analysis blocks it (validation.json); the findings went back to the Code Writer"));
            }
        }

        return blocked.Count > 0 || packaged.Result.Any(p => !p.Bundle.Written) ? ExitCodes.Findings : ExitCodes.Ok;
    }
}

/// <summary><c>modernize promote --job ID --env ENV</c>: the gates, each logged as a decision, then the
/// deployment (R5.1). Exit 0 promoted, 1 held by a gate or a failed run, 2 error.</summary>
internal sealed class PromoteCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<PromoteSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PromoteSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await WorkspaceSession.OpenAsync(settings.Workspace, services.Environment, cancellationToken);
        await LogExporter.ExportAsync(session.Store, session.Paths, cancellationToken);
        var job = new JobId(settings.Job);
        var decided = await DeliveryLog.Service(session, services).PromoteAsync(job, settings.Environment, cancellationToken);
        await DeliveryLog.AppendAsync(session, services, job, StageId.Deploy, decided.Decisions, decided.Result.Promoted ? StageStatus.Completed : StageStatus.Failed, cancellationToken);
        DeliveryLog.Show(console, settings, decided.Result);
        if (settings.WantsJson)
        {
            await JsonOutput.WriteAsync(console, settings.JsonFile, decided.Result, cancellationToken);
        }

        return decided.Result.Promoted ? ExitCodes.Ok : ExitCodes.Findings;
    }
}

/// <summary><c>modernize rollback --job ID --env ENV</c>: restores the job definition the last promotion
/// replaced. Exit 0 restored, 2 error (nothing to restore).</summary>
internal sealed class RollbackCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<PromoteSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PromoteSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await WorkspaceSession.OpenAsync(settings.Workspace, services.Environment, cancellationToken);
        var job = new JobId(settings.Job);
        var decided = await DeliveryLog.Service(session, services).RollbackAsync(job, settings.Environment, cancellationToken);
        await DeliveryLog.AppendAsync(session, services, job, StageId.Deploy, decided.Decisions, StageStatus.Completed, cancellationToken);
        DeliveryLog.Show(console, settings, decided.Result);
        if (settings.WantsJson)
        {
            await JsonOutput.WriteAsync(console, settings.JsonFile, decided.Result, cancellationToken);
        }

        return ExitCodes.Ok;
    }
}

/// <summary>What the delivery commands share: the service, and writing their decisions to the log
/// (under the job's lease, as a run of its stage, so the log stays one hash chain).</summary>
internal static class DeliveryLog
{
    public static DeliveryService Service(WorkspaceSession session, ModernizeServices services) =>
        new(session.Paths, session.Settings, name => services.Environment.TryGetValue(name, out var value) ? value : null, services.Clock);

    public static List<JobId> JobsWithRewrites(WorkspaceSession session)
    {
        var root = Path.Combine(session.Paths.Output, "jobs");
        return Directory.Exists(root)
            ? [.. Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "rewrite", "rewrite.json"))).Select(d => new JobId(Path.GetFileName(d))).OrderBy(j => j.Value, StringComparer.Ordinal)]
            : [];
    }

    public static async Task AppendAsync(WorkspaceSession session, ModernizeServices services, JobId job, StageId stage, ImmutableArray<DecisionDraft> decisions, StageStatus status, CancellationToken cancellationToken)
    {
        if (decisions.IsDefaultOrEmpty)
        {
            return;
        }

        var owner = LeaseOwner.ForCurrentProcess();
        var now = services.Clock.GetUtcNow();
        if (!await session.Store.TryAcquireLeaseAsync(job.Value, owner, now, TimeSpan.FromMinutes(5), cancellationToken))
        {
            throw new CliException($"job {job} is being worked on by another process (modernize run); try again when it is done");
        }

        var record = await session.Store.GetJobAsync(job.Value, cancellationToken);
        var state = record?.State ?? JobState.Pending;
        try
        {
            var message = decisions[^1].Rationale;
            await session.Store.CommitStageAsync(new StageCommit(job.Value, owner.ToString(),
                new StageRunRecord(job.Value, stage.Name, status, "command:" + decisions[^1].Kind, 1, message, [], string.Empty),
                decisions, [], state, record?.Message)
            { JobStage = record?.Stage }, now, cancellationToken);
        }
        finally
        {
            await session.Store.ReleaseLeaseAsync(job.Value, owner, state, record?.Stage, record?.Message, services.Clock.GetUtcNow(), cancellationToken);
        }

        await LogExporter.ExportAsync(session.Store, session.Paths, cancellationToken);
    }

    public static void Show(IAnsiConsole console, WorkspaceSettings settings, PromotionResult result)
    {
        if (settings.WantsJson && settings.JsonFile is null)
        {
            return;
        }

        if (!result.Gates.IsEmpty)
        {
            var table = new Table().Title($"gates: {result.JobId} → {result.Environment}").AddColumns("gate", "", "detail");
            foreach (var gate in result.Gates)
            {
                table.AddRow(gate.Gate, gate.Passed ? "[green]pass[/]" : "[red]held[/]", Markup.Escape(gate.Detail));
            }

            console.Write(table);
        }

        foreach (var step in result.Steps)
        {
            console.MarkupLine("  " + Markup.Escape(step));
        }

        console.MarkupLine((result.Promoted ? "[green]ok:[/] " : "[red]held:[/] ") + Markup.Escape(result.Message));
    }
}
