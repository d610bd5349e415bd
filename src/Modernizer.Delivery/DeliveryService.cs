using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Delivery.Analysis;
using Modernizer.Delivery.Inputs;
using Modernizer.Delivery.Packaging;
using Modernizer.Delivery.Promotion;
using Modernizer.Delivery.Publishing;
using Modernizer.Delivery.Rewrites;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery;

/// <summary>A bundle as packaged and published: where it is, its branch and pull request, and why it
/// was not published when it was not.</summary>
public sealed record PackageResult(
    ImmutableArray<string> Jobs,
    BundleResult Bundle,
    PublishedBranch? Branch,
    PullRequestInfo? PullRequest,
    string Message);

/// <summary>What an operation decided (X2), for the caller to append to the decision log.</summary>
public sealed record Decided<T>(T Result, ImmutableArray<DecisionDraft> Decisions);

/// <summary>The delivery engines behind one surface: the commands (<c>modernize package / promote /
/// rollback</c>) and the pipeline's static-analysis and deploy stages call the same methods.</summary>
public sealed class DeliveryService(
    WorkspacePaths workspace,
    ModernizeSettings settings,
    Func<string, string?> environment,
    TimeProvider clock,
    HttpMessageHandler? databricksHandler = null)
{
    public async Task<Decided<ValidationReport>> AnalyzeAsync(JobId job, CancellationToken cancellationToken)
    {
        var report = await new StaticAnalyzer(workspace, settings).AnalyzeAsync(job, cancellationToken).ConfigureAwait(false);
        var blocking = report.Findings.Where(f => f.Blocking).ToList();
        var rationale = report.Blocking
            ? string.Create(CultureInfo.InvariantCulture, $"{blocking.Count} blocking finding(s) on rewrite {report.RewriteHash[..12]}: {string.Join("; ", blocking.Take(5).Select(f => $"{f.Tool} {f.Rule} {f.File}:{f.Line} {f.Message}"))}{string.Concat(report.Tools.Where(t => t.Status == "failed").Select(t => $"; {t.Tool} could not run: {t.Detail}"))}. Sent back to the Code Writer with the findings (rewrite-feedback/static_analysis.json).")
            : string.Create(CultureInfo.InvariantCulture, $"No blocking finding on rewrite {report.RewriteHash[..12]} ({report.Count(Severity.Warning)} warning(s)); tools: {string.Join(", ", report.Tools.Select(t => $"{t.Tool} {t.Status}"))}.");
        var decision = Decision(job, StageId.StaticAnalysis, RoleId.StaticAnalyzer, report.Blocking ? "static_analysis_blocked" : "static_analysis_clean",
            "R4.2.static_analysis", rationale, report.Blocking ? ["deliver with the findings"] : ["send back to the Code Writer"],
            [new Evidence(EvidenceKind.Decision, $"jobs/{job}/validation.json", $"{report.Findings.Length} finding(s), blocking={report.Blocking.ToString().ToLowerInvariant()}")]);
        return new(report, [decision]);
    }

    /// <summary>Packages the jobs (one bundle each, or one for the batch), scans the bundle for secrets,
    /// commits and pushes it and opens or updates its pull request when a repository is configured.</summary>
    public async Task<Decided<ImmutableArray<PackageResult>>> PackageAsync(IReadOnlyList<JobId> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var builder = new BundleBuilder(workspace, settings.Delivery);
        var groups = settings.Delivery.BundlePer == BundleGrouping.Job ? jobs.Select(j => (IReadOnlyList<JobId>)[j]) : [jobs];
        var results = ImmutableArray.CreateBuilder<PackageResult>();
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        foreach (var group in groups)
        {
            var members = new List<BundleJob>();
            foreach (var job in group)
            {
                members.Add(new BundleJob(await RewriteManifest.ReadAsync(workspace, job, cancellationToken).ConfigureAwait(false),
                    await JobProfile.ReadAsync(workspace, job, cancellationToken).ConfigureAwait(false)));
            }

            var bundle = await builder.BuildAsync(members, cancellationToken).ConfigureAwait(false);
            var ids = group.Select(j => j.Value).ToImmutableArray();
            if (!bundle.Written)
            {
                foreach (var member in members)
                {
                    await RecordBundleSecretsAsync(member.Rewrite, builder.PrefixFor(member.Rewrite.Job), bundle.Secrets, cancellationToken).ConfigureAwait(false);
                    decisions.Add(Decision(member.Rewrite.Job, StageId.Deploy, RoleId.DeploymentAgent, "package_refused", "R4.2.secrets",
                        $"The bundle {bundle.Name} is not written: {bundle.Secrets.Length} secret(s) found ({string.Join("; ", bundle.Secrets.Take(3).Select(s => $"{s.File}:{s.Line} {s.Rule}"))}). Nothing was committed or pushed.",
                        ["commit with the secret"], [.. bundle.Secrets.Take(5).Select(s => new Evidence(EvidenceKind.CodeSpan, $"{s.File}:{s.Line}", s.Rule))]));
                }

                results.Add(new PackageResult(ids, bundle, null, null, $"not packaged: {bundle.Secrets.Length} secret(s) in the bundle"));
                continue;
            }

            PublishedBranch? branch = null;
            PullRequestInfo? pr = null;
            var message = $"bundle written to {Path.GetRelativePath(workspace.Root, bundle.Folder!)}";
            if (settings.Delivery.Repository.Url is not null)
            {
                var owner = settings.Delivery.BundlePer == BundleGrouping.Job ? ids[0] : settings.Delivery.BatchName;
                var first = members[0].Rewrite;
                branch = new GitPublisher(workspace, settings.Delivery.Repository, environment, clock).Publish(
                    GitPublisher.BranchFor(owner), bundle.Folder!, bundle.Name,
                    $"Modernize {string.Join(", ", ids)}: Databricks Asset Bundle\n\nRewrite {string.Join(", ", members.Select(m => $"{m.Rewrite.Job} {m.Rewrite.CurrentHash}"))}.");
                message += $"; branch {branch.Branch} at {branch.CommitSha[..12]}{(branch.Changed ? " pushed" : " unchanged")}";
                if (settings.Delivery.Repository.HasForge)
                {
                    var path = $"{settings.Delivery.Repository.BundleRoot.Trim('/')}/{bundle.Name}";
                    var body = string.Join("\n\n", await Task.WhenAll(members.Select(async m => PullRequestDescription.Body(m.Rewrite,
                        await JobEvidence.ReadAsync(workspace, m.Rewrite.Job, cancellationToken).ConfigureAwait(false), path))).ConfigureAwait(false));
                    pr = await new PullRequests(settings.Delivery.Repository, environment).OpenOrUpdateAsync(branch.Branch,
                        members.Count == 1 ? PullRequestDescription.Title(first) : $"Modernize {members.Count} jobs ({settings.Delivery.BatchName})", body).ConfigureAwait(false);
                    message += $"; pull request #{pr.Number} {pr.Url}";
                }
            }

            foreach (var member in members)
            {
                decisions.Add(Decision(member.Rewrite.Job, StageId.Deploy, RoleId.DeploymentAgent, "packaged", "R5.1.package",
                    $"Bundle {bundle.Name} for rewrite {member.Rewrite.CurrentHash[..12]}: {message}." + (bundle.Warnings.IsEmpty ? string.Empty : " To fix: " + string.Join("; ", bundle.Warnings)),
                    [], [new Evidence(EvidenceKind.Decision, Path.GetRelativePath(workspace.Output, Path.Combine(bundle.Folder!, "databricks.yml")).Replace('\\', '/'), member.Rewrite.CurrentHash)]));
            }

            results.Add(new PackageResult(ids, bundle, branch, pr, message));
        }

        return new(results.ToImmutable(), decisions.ToImmutable());
    }

    public async Task<Decided<PromotionResult>> PromoteAsync(JobId job, string env, CancellationToken cancellationToken)
    {
        var result = await new Promoter(workspace, settings, environment, clock, databricksHandler).PromoteAsync(job, env, cancellationToken).ConfigureAwait(false);
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        foreach (var gate in result.Gates)
        {
            decisions.Add(Decision(job, StageId.Deploy, RoleId.DeploymentAgent, gate.Passed ? "gate_passed" : "gate_failed", $"R5.1.gate.{gate.Gate}",
                $"{env}: {gate.Gate} {(gate.Passed ? "passed" : "failed")}: {gate.Detail}", gate.Passed ? [] : ["promote anyway"],
                [new Evidence(EvidenceKind.Decision, gate.Evidence, gate.Detail)]));
        }

        if (result.Steps.Length > 0 || result.Promoted)
        {
            decisions.Add(Decision(job, StageId.Deploy, RoleId.DeploymentAgent, result.Promoted ? "promoted" : "promotion_failed", "R5.1.promote",
                $"{result.Message}. Steps: {string.Join("; ", result.Steps)}", [], [new Evidence(EvidenceKind.Decision, $"jobs/{job}/deployment.json", env)]));
        }

        return new(result, decisions.ToImmutable());
    }

    public async Task<Decided<PromotionResult>> RollbackAsync(JobId job, string env, CancellationToken cancellationToken)
    {
        var result = await new Promoter(workspace, settings, environment, clock, databricksHandler).RollbackAsync(job, env, cancellationToken).ConfigureAwait(false);
        return new(result, [Decision(job, StageId.Deploy, RoleId.DeploymentAgent, "rolled_back", "R5.1.rollback",
            $"{result.Message}. {string.Join("; ", result.Steps)}", ["keep the rewrite running"], [new Evidence(EvidenceKind.Human, "modernize rollback", env)])]);
    }

    /// <summary>The deploy stage: package (when the bundle does not hold this rewrite), then dev → staging
    /// → prod while the gates let it.</summary>
    public async Task<Decided<(string? Environment, string Message, bool Blocked)>> DeliverAsync(JobId job, CancellationToken cancellationToken)
    {
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        var package = await PackageAsync([job], cancellationToken).ConfigureAwait(false);
        decisions.AddRange(package.Decisions);
        if (package.Result.Any(p => !p.Bundle.Written))
        {
            return new((null, package.Result[0].Message, true), decisions.ToImmutable());
        }

        string? reached = null;
        foreach (var env in DeliverySettings.Environments)
        {
            if (!settings.Delivery.Target(env).IsConfigured)
            {
                // Nowhere further to go is the end of delivery for this workspace, not a failure: the
                // bundle and its pull request are the deliverable until targets are configured.
                return new((reached, $"packaged; target {env} is not configured (delivery.targets.{env})", false), decisions.ToImmutable());
            }

            var promotion = await PromoteAsync(job, env, cancellationToken).ConfigureAwait(false);
            decisions.AddRange(promotion.Decisions);
            if (!promotion.Result.Promoted)
            {
                return new((reached, promotion.Result.Message, true), decisions.ToImmutable());
            }

            reached = env;
        }

        return new((reached, $"{job} runs in prod", false), decisions.ToImmutable());
    }

    private async Task RecordBundleSecretsAsync(RewriteManifest rewrite, string prefix, ImmutableArray<Finding> secrets, CancellationToken cancellationToken)
    {
        var previous = (await JobEvidence.ReadAsync(workspace, rewrite.Job, cancellationToken).ConfigureAwait(false)).Validation;
        var mine = secrets.Where(s => prefix.Length == 0 || s.File.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => s with { File = "bundle/" + s.File[prefix.Length..] });
        var findings = (previous?.Findings ?? []).Where(f => !f.File.StartsWith("bundle/", StringComparison.Ordinal)).Concat(mine);
        var report = ValidationReport.Of(rewrite.Job.Value, rewrite.CurrentHash, findings, previous?.Tools ?? []);
        await StaticAnalyzer.WriteAsync(workspace, rewrite.Job, report, cancellationToken).ConfigureAwait(false);
    }

    private static DecisionDraft Decision(JobId job, StageId stage, RoleId role, string kind, string rule, string rationale, ImmutableArray<string> alternatives, ImmutableArray<Evidence> evidence) =>
        new(job, stage, role, kind, DecisionOutcome.Autonomous, Confidence.Certain, rule, rationale, alternatives, evidence);
}
