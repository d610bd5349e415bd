using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Delivery.Inputs;
using Modernizer.Delivery.Publishing;
using Modernizer.Delivery.Rewrites;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery.Promotion;

/// <summary>One gate's verdict: its name, whether it passed, and the fact it was decided on.</summary>
public sealed record GateResult(string Gate, bool Passed, string Detail, string Evidence);

/// <summary>The promotion gates (R5.1, X4), in code and each one a decision. For every environment:
/// static analysis clean on this rewrite. From staging on: tests passed, reconciliation passed at the
/// configured threshold on this rewrite hash, and the environment before it runs this rewrite. For
/// prod also: every escalation of the job approved, the pull request merged or an approval configured,
/// the staging validation run succeeded and the shadow runs passed.</summary>
public static class Gates
{
    public static ImmutableArray<GateResult> Evaluate(
        string environment,
        RewriteManifest rewrite,
        JobEvidence evidence,
        DeploymentRecord record,
        ModernizeSettings settings,
        ImmutableArray<(string Id, string Status)> escalations,
        PullRequestInfo? pullRequest)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(settings);
        var hash = rewrite.CurrentHash;
        var short_ = hash[..12];
        var gates = ImmutableArray.CreateBuilder<GateResult>();
        var job = rewrite.Job.Value;

        gates.Add(evidence.Validation switch
        {
            null => new GateResult("static_analysis_clean", false, "no validation.json: static analysis has not run", $"jobs/{job}/validation.json"),
            { RewriteHash: var h } when h != hash => new GateResult("static_analysis_clean", false, $"validation.json is for rewrite {h[..Math.Min(12, h.Length)]}, not {short_}: analyse again", $"jobs/{job}/validation.json"),
            { Blocking: true } v => new GateResult("static_analysis_clean", false, string.Create(CultureInfo.InvariantCulture,
                $"{v.Findings.Count(f => f.Blocking)} blocking finding(s): {string.Join("; ", v.Findings.Where(f => f.Blocking).Take(3).Select(f => $"{f.Tool} {f.Rule} {f.File}:{f.Line}"))}"), $"jobs/{job}/validation.json"),
            var v => new GateResult("static_analysis_clean", true, string.Create(CultureInfo.InvariantCulture, $"no blocking finding on rewrite {short_} ({v.Findings.Length} non-blocking)"), $"jobs/{job}/validation.json"),
        });

        if (environment == "dev")
        {
            return gates.ToImmutable();
        }

        gates.Add(evidence.Tests switch
        {
            null => new GateResult("tests_passed", false, "no tests/results.json: the tests have not run", $"jobs/{job}/tests/results.json"),
            { Failed: > 0 } t => new GateResult("tests_passed", false, string.Create(CultureInfo.InvariantCulture, $"{t.Failed} failed, {t.Passed} passed"), $"jobs/{job}/tests/results.json"),
            { Passed: 0 } => new GateResult("tests_passed", false, "no test passed (no test ran)", $"jobs/{job}/tests/results.json"),
            var t => new GateResult("tests_passed", true, string.Create(CultureInfo.InvariantCulture, $"{t.Passed} passed, 0 failed"), $"jobs/{job}/tests/results.json"),
        });

        var threshold = settings.Escalation.AcceptanceThreshold;
        gates.Add(evidence.Reconciliation switch
        {
            null => new GateResult("reconciliation_passed", false, "no reconciliation.json: the rewrite has not been reconciled", $"jobs/{job}/reconciliation.json"),
            { RewriteHash: null } => new GateResult("reconciliation_passed", false, "reconciliation.json does not say which rewrite it ran (rewrite_hash): reconcile again", $"jobs/{job}/reconciliation.json"),
            { RewriteHash: var h } when h != hash => new GateResult("reconciliation_passed", false,
                $"the reconciliation ran on rewrite {h![..Math.Min(12, h.Length)]}, but the rewrite is now {short_}: it changed after it was reconciled", $"jobs/{job}/reconciliation.json"),
            var r when r.Status == "match" || r.MatchRate >= threshold => new GateResult("reconciliation_passed", true,
                string.Create(CultureInfo.InvariantCulture, $"{r.Status} at {Percent.Of(r.MatchRate)} (threshold {Percent.Of(threshold)}) on rewrite {short_}"), $"jobs/{job}/reconciliation.json"),
            var r => new GateResult("reconciliation_passed", false,
                string.Create(CultureInfo.InvariantCulture, $"{r.Status} at {Percent.Of(r.MatchRate)}, below the threshold {Percent.Of(threshold)}"), $"jobs/{job}/reconciliation.json"),
        });

        var before = DeliverySettings.Environments[DeliverySettings.Environments.IndexOf(environment) - 1];
        gates.Add(record.In(before) is { } previous && previous.RewriteHash == hash
            ? new GateResult("previous_environment", true, $"{before} runs rewrite {short_} (job {previous.DatabricksJobId})", $"jobs/{job}/deployment.json")
            : new GateResult("previous_environment", false, $"{before} does not run rewrite {short_} yet: promote to {before} first", $"jobs/{job}/deployment.json"));

        if (environment != "prod")
        {
            return gates.ToImmutable();
        }

        var unresolved = escalations.Where(e => e.Status != "approved").ToList();
        gates.Add(unresolved.Count == 0
            ? new GateResult("escalations_approved", true, string.Create(CultureInfo.InvariantCulture, $"{escalations.Length} escalation(s), all approved"), "escalations.json")
            : new GateResult("escalations_approved", false, $"not approved: {string.Join(", ", unresolved.Select(e => $"{e.Id} ({e.Status})"))}", "escalations.json"));

        if (settings.Delivery.Promotion.Approvals.TryGetValue(job, out var approver))
        {
            gates.Add(new GateResult("approval", true, $"approved by {approver} (delivery.promotion.approvals)", "modernize.yaml"));
        }
        else if (!settings.Delivery.Promotion.RequireMergedPullRequest)
        {
            gates.Add(new GateResult("approval", false, $"no approval for {job} in delivery.promotion.approvals", "modernize.yaml"));
        }
        else
        {
            gates.Add(pullRequest switch
            {
                null => new GateResult("approval", false, "no pull request for the bundle and no configured approval", "pull request"),
                { Merged: true } pr => new GateResult("approval", true, $"pull request #{pr.Number} is merged", pr.Url),
                var pr => new GateResult("approval", false, $"pull request #{pr.Number} is {pr.State}, not merged", pr.Url),
            });
        }

        var staging = record.In("staging");
        gates.Add(staging is { RewriteHash: var sh, ValidationResult: "SUCCESS" } && sh == hash
            ? new GateResult("staging_validation_run", true, $"validation run {staging.ValidationRunId} succeeded in staging", $"jobs/{job}/deployment.json")
            : new GateResult("staging_validation_run", false, "no successful validation run of this rewrite in staging", $"jobs/{job}/deployment.json"));

        var shadow = settings.Delivery.Promotion.ShadowRuns;
        if (shadow > 0)
        {
            var passed = staging is not null && staging.RewriteHash == hash ? staging.ShadowRunsPassed : 0;
            gates.Add(new GateResult("shadow_runs", passed >= shadow,
                string.Create(CultureInfo.InvariantCulture, $"{passed} of {shadow} shadow run(s) in staging matched the legacy production output"), $"jobs/{job}/deployment.json"));
        }

        return gates.ToImmutable();
    }

    /// <summary>The job's escalations from <c>.modernize/escalations.json</c> (the supervisor's export).</summary>
    public static async Task<ImmutableArray<(string Id, string Status)>> EscalationsAsync(WorkspacePaths workspace, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!File.Exists(workspace.EscalationsJson))
        {
            return [];
        }

        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(workspace.EscalationsJson, cancellationToken).ConfigureAwait(false));
        return document.RootElement.TryGetProperty("escalations", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray()
                .Where(e => e.TryGetProperty("job_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == job)
                .Select(e => (e.GetProperty("id").GetString() ?? "?", e.GetProperty("status").GetString() ?? "?"))]
            : [];
    }
}
