using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Modernizer.Delivery.Inputs;
using Modernizer.Delivery.Packaging;
using Modernizer.Delivery.Publishing;
using Modernizer.Delivery.Rewrites;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;

namespace Modernizer.Delivery.Promotion;

/// <summary>How a promotion or rollback ended. Every gate and every step is also a decision (X2).</summary>
public sealed record PromotionResult(
    string JobId,
    string Environment,
    bool Promoted,
    long? DatabricksJobId,
    ImmutableArray<GateResult> Gates,
    ImmutableArray<string> Steps,
    string Message);

/// <summary>The Deployment Agent's promotion (R5.1): gates first, then the job definition from the
/// reviewed bundle is created or reset in the environment (jobs/create, jobs/reset) after its files are
/// imported; in staging a validation run (runs/submit, polled with runs/get) and the shadow runs
/// (the deployed job's output reconciled against the legacy production output); the definition it
/// replaces is kept for <see cref="RollbackAsync"/>.</summary>
public sealed class Promoter(
    WorkspacePaths workspace,
    ModernizeSettings settings,
    Func<string, string?> environment,
    TimeProvider clock,
    HttpMessageHandler? handler = null)
{
    public async Task<PromotionResult> PromoteAsync(JobId job, string env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!DeliverySettings.Environments.Contains(env))
        {
            throw new DeliveryException($"unknown environment '{env}': expected dev, staging or prod");
        }

        var rewrite = await RewriteManifest.ReadAsync(workspace, job, cancellationToken).ConfigureAwait(false);
        var evidence = await JobEvidence.ReadAsync(workspace, job, cancellationToken).ConfigureAwait(false);
        var record = await DeploymentRecord.ReadAsync(workspace, job, cancellationToken).ConfigureAwait(false);
        var escalations = await Gates.EscalationsAsync(workspace, job.Value, cancellationToken).ConfigureAwait(false);
        PullRequestInfo? pullRequest = null;
        if (env == "prod" && settings.Delivery.Repository.HasForge && !settings.Delivery.Promotion.Approvals.ContainsKey(job.Value))
        {
            pullRequest = await new PullRequests(settings.Delivery.Repository, environment).FindAsync(GitPublisher.BranchFor(BranchOwner(job))).ConfigureAwait(false);
        }

        var gates = Gates.Evaluate(env, rewrite, evidence, record, settings, escalations, pullRequest);
        var (bundle, bundleGate) = ReadBundle(job, rewrite);
        gates = gates.Insert(0, bundleGate);
        if (gates.Any(g => !g.Passed))
        {
            return new PromotionResult(job.Value, env, false, record.In(env)?.DatabricksJobId, gates, [],
                $"not promoted to {env}: " + string.Join("; ", gates.Where(g => !g.Passed).Select(g => $"{g.Gate}: {g.Detail}")));
        }

        var target = settings.Delivery.Target(env);
        var steps = new List<string>();
        using var client = DatabricksJobsClient.ForTarget(target, environment, handler);
        var name = BundleBuilder.NameFor(settings.Delivery, job);
        var filesRoot = $"{target.RootPath.TrimEnd('/')}/{name}/files";
        foreach (var file in Directory.EnumerateFiles(Path.Combine(bundle!.Folder, BundlePrefix(job) + "src")).Order(StringComparer.Ordinal))
        {
            var remote = $"{filesRoot}/{BundlePrefix(job)}src/{Path.GetFileName(file)}";
            await client.ImportFileAsync(remote, await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            steps.Add($"imported {remote}");
        }

        var jobSettings = ApiSettings(bundle.Job, target, filesRoot, env);
        var jobName = jobSettings["name"]!.GetValue<string>();
        long jobId;
        JsonObject? previous = null;
        var known = record.In(env)?.DatabricksJobId;
        var existing = await client.FindJobsByNameAsync(jobName, cancellationToken).ConfigureAwait(false);
        if (known is { } id && existing.Contains(id) || existing.Count > 0)
        {
            jobId = known is { } k && existing.Contains(k) ? k : existing[0];
            previous = await client.GetJobSettingsAsync(jobId, cancellationToken).ConfigureAwait(false);
            await client.ResetJobAsync(jobId, jobSettings, cancellationToken).ConfigureAwait(false);
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"jobs/reset {jobId} ({jobName}); the previous definition is kept for rollback"));
        }
        else
        {
            var create = (JsonObject)jobSettings.DeepClone();
            if (bundle.Job["permissions"] is JsonArray permissions)
            {
                create["access_control_list"] = new JsonArray([.. permissions.Select(p => (JsonNode)AccessControl(p!.AsObject()))]);
            }

            jobId = await client.CreateJobAsync(create, cancellationToken).ConfigureAwait(false);
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"jobs/create → {jobId} ({jobName})"));
        }

        var deployment = new EnvironmentDeployment(env, jobId, rewrite.CurrentHash, clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            null, null, 0, previous, previous is null);
        var promoted = true;
        var message = $"{job} runs rewrite {rewrite.CurrentHash[..12]} in {env} (job {jobId})";
        if (env == "staging")
        {
            var run = await ValidationRunAsync(client, jobSettings, rewrite, cancellationToken).ConfigureAwait(false);
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"runs/submit validation run {run.RunId}: {run.LifeCycleState} {run.ResultState}"));
            deployment = deployment with { ValidationRunId = run.RunId, ValidationResult = run.ResultState ?? run.LifeCycleState };
            if (!run.Succeeded)
            {
                promoted = false;
                message = $"the validation run {run.RunId} in staging ended {run.LifeCycleState} {run.ResultState}: {run.Message}";
            }
            else if (settings.Delivery.Promotion.ShadowRuns > 0)
            {
                var (passed, shadowSteps) = await ShadowRunsAsync(client, jobId, rewrite, cancellationToken).ConfigureAwait(false);
                steps.AddRange(shadowSteps);
                deployment = deployment with { ShadowRunsPassed = passed };
                if (passed < settings.Delivery.Promotion.ShadowRuns)
                {
                    promoted = false;
                    message = string.Create(CultureInfo.InvariantCulture, $"shadow mode: {passed} of {settings.Delivery.Promotion.ShadowRuns} run(s) matched the legacy production output");
                }
            }
        }

        await record.With(deployment).WriteAsync(workspace, cancellationToken).ConfigureAwait(false);
        return new PromotionResult(job.Value, env, promoted, jobId, gates, [.. steps], message);
    }

    /// <summary>Restores the definition the last promotion to <paramref name="env"/> replaced (jobs/reset).</summary>
    public async Task<PromotionResult> RollbackAsync(JobId job, string env, CancellationToken cancellationToken)
    {
        var record = await DeploymentRecord.ReadAsync(workspace, job, cancellationToken).ConfigureAwait(false);
        var deployment = record.In(env) ?? throw new DeliveryException($"{job} was never promoted to {env}: nothing to roll back");
        if (deployment.PreviousSettings is not { } previous)
        {
            throw new DeliveryException(string.Create(CultureInfo.InvariantCulture,
                $"{job} in {env} is job {deployment.DatabricksJobId}, which Modernizer created: there is no earlier definition to restore (pause or delete the job in the workspace)"));
        }

        using var client = DatabricksJobsClient.ForTarget(settings.Delivery.Target(env), environment, handler);
        var current = await client.GetJobSettingsAsync(deployment.DatabricksJobId, cancellationToken).ConfigureAwait(false);
        await client.ResetJobAsync(deployment.DatabricksJobId, previous, cancellationToken).ConfigureAwait(false);
        var restoredHash = previous["tags"]?["rewrite_hash"]?.GetValue<string>() ?? "legacy";
        var restored = deployment with
        {
            RewriteHash = restoredHash,
            DeployedAt = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ValidationRunId = null,
            ValidationResult = null,
            ShadowRunsPassed = 0,
            PreviousSettings = current,
        };
        await record.With(restored).WriteAsync(workspace, cancellationToken).ConfigureAwait(false);
        var step = string.Create(CultureInfo.InvariantCulture, $"jobs/reset {deployment.DatabricksJobId} to the definition before rewrite {deployment.RewriteHash[..Math.Min(12, deployment.RewriteHash.Length)]}");
        return new PromotionResult(job.Value, env, true, deployment.DatabricksJobId, [], [step],
            $"{job} in {env} runs its previous definition again ({(restoredHash == "legacy" ? "the legacy job" : "rewrite " + restoredHash[..12])})");
    }

    private string BranchOwner(JobId job) => settings.Delivery.BundlePer == BundleGrouping.Job ? job.Value : settings.Delivery.BatchName;

    private string BundlePrefix(JobId job) => new BundleBuilder(workspace, settings.Delivery).PrefixFor(job);

    private sealed record Bundle(string Folder, JsonObject Job);

    /// <summary>The bundle must exist and carry this very rewrite (its rewrite_hash tag).</summary>
    private (Bundle? Bundle, GateResult Gate) ReadBundle(JobId job, RewriteManifest rewrite)
    {
        var folder = new BundleBuilder(workspace, settings.Delivery).FolderFor(job);
        var file = Path.Combine(folder, "databricks.yml");
        if (!File.Exists(file))
        {
            return (null, new GateResult("bundle_current", false, "no bundle: run modernize package first", file));
        }

        var document = YamlReader.Read(File.ReadAllText(file), file);
        var resource = document["resources"]?["jobs"]?[BundleBuilder.Key(job.Value)]?.AsObject();
        var hash = resource?["tags"]?["rewrite_hash"]?.GetValue<string>();
        return resource is null
            ? (null, new GateResult("bundle_current", false, $"the bundle has no job resource for {job}", file))
            : hash != rewrite.CurrentHash
                ? (null, new GateResult("bundle_current", false, $"the bundle holds rewrite {hash?[..12]}, not the current {rewrite.CurrentHash[..12]}: package again", file))
                : (new Bundle(folder, resource), new GateResult("bundle_current", true, $"the bundle holds rewrite {rewrite.CurrentHash[..12]}", file));
    }

    /// <summary>The bundle's job resource as Jobs API settings for one target: the warehouse and file
    /// paths resolved as a bundle deployment would; schedules paused outside prod.</summary>
    private static JsonObject ApiSettings(JsonObject resource, DeliveryTarget target, string filesRoot, string env)
    {
        var settings = (JsonObject)resource.DeepClone();
        settings.Remove("permissions");
        foreach (var task in settings["tasks"]?.AsArray() ?? [])
        {
            if (task?["sql_task"] is JsonObject sql)
            {
                sql["warehouse_id"] = target.WarehouseId;
                var path = sql["file"]!["path"]!.GetValue<string>().TrimStart('.', '/');
                sql["file"] = new JsonObject { ["path"] = $"{filesRoot}/{path}", ["source"] = "WORKSPACE" };
            }

            if (task?["notebook_task"] is JsonObject notebook)
            {
                var path = notebook["notebook_path"]!.GetValue<string>().TrimStart('.', '/');
                notebook["notebook_path"] = $"{filesRoot}/{path}";
                notebook["source"] = "WORKSPACE";
            }
        }

        if (settings["schedule"] is JsonObject schedule)
        {
            schedule["pause_status"] = env == "prod" ? "UNPAUSED" : "PAUSED";
        }

        return settings;
    }

    private static JsonObject AccessControl(JsonObject permission)
    {
        var acl = new JsonObject { ["permission_level"] = permission["level"]!.GetValue<string>() };
        foreach (var key in new[] { "user_name", "group_name", "service_principal_name" })
        {
            if (permission[key] is { } value)
            {
                acl[key] = value.GetValue<string>();
            }
        }

        return acl;
    }

    private async Task<RunState> ValidationRunAsync(DatabricksJobsClient client, JsonObject jobSettings, RewriteManifest rewrite, CancellationToken cancellationToken)
    {
        var tasks = (JsonArray)jobSettings["tasks"]!.DeepClone();
        var run = new JsonObject
        {
            ["run_name"] = $"modernize validation {rewrite.Job} {rewrite.CurrentHash[..12]}",
            ["tasks"] = tasks,
            ["timeout_seconds"] = settings.Delivery.Promotion.RunTimeoutSeconds,
            ["idempotency_token"] = $"modernize-{rewrite.Job}-{rewrite.CurrentHash[..24]}",
        };
        var runId = await client.SubmitRunAsync(run, cancellationToken).ConfigureAwait(false);
        return await WaitAsync(client, runId, cancellationToken).ConfigureAwait(false);
    }

    private Task<RunState> WaitAsync(DatabricksJobsClient client, long runId, CancellationToken cancellationToken) =>
        client.WaitForRunAsync(runId, TimeSpan.FromSeconds(settings.Delivery.Promotion.PollIntervalSeconds),
            TimeSpan.FromSeconds(settings.Delivery.Promotion.RunTimeoutSeconds), clock, cancellationToken);

    /// <summary>Shadow mode: each run of the staging job is followed by a reconciliation of its output
    /// (read under <c>delivery.promotion.shadow_output_root</c>) against the legacy production output (the lake).</summary>
    private async Task<(int Passed, List<string> Steps)> ShadowRunsAsync(DatabricksJobsClient client, long jobId, RewriteManifest rewrite, CancellationToken cancellationToken)
    {
        var steps = new List<string>();
        var passed = 0;
        var root = Path.GetFullPath(Path.Combine(workspace.Root, settings.Delivery.Promotion.ShadowOutputRoot!));
        for (var n = 1; n <= settings.Delivery.Promotion.ShadowRuns; n++)
        {
            var runId = await client.RunNowAsync(jobId, cancellationToken).ConfigureAwait(false);
            var run = await WaitAsync(client, runId, cancellationToken).ConfigureAwait(false);
            if (!run.Succeeded)
            {
                steps.Add(string.Create(CultureInfo.InvariantCulture, $"shadow run {n}: run {runId} ended {run.LifeCycleState} {run.ResultState}"));
                break;
            }

            var all = true;
            foreach (var target in rewrite.Targets)
            {
                var baseline = LakeTables.Find(workspace, settings.Lake, target.Table);
                var candidate = Path.Combine([root, .. target.Table.Split('.')]);
                if (baseline is null || !Directory.Exists(candidate))
                {
                    steps.Add($"shadow run {n}: {(baseline is null ? "no legacy output of " + target.Table + " in the lake" : "no staging output at " + candidate)}");
                    all = false;
                    continue;
                }

                await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(baseline, candidate), cancellationToken).ConfigureAwait(false);
                var verdict = await new Reconciler(engine).ReconcileAsync(new ReconcileRequest(new TableRef(baseline), new TableRef(candidate)), cancellationToken).ConfigureAwait(false);
                var ok = verdict.Status == ReconciliationStatus.Match || verdict.MatchRate >= settings.Escalation.AcceptanceThreshold;
                all &= ok;
                steps.Add(string.Create(CultureInfo.InvariantCulture, $"shadow run {n} (run {runId}): {target.Table} {verdict.Status.ToString().ToLowerInvariant()} at {Percent.Of(verdict.MatchRate)} against the legacy output"));
            }

            if (!all)
            {
                break;
            }

            passed++;
        }

        return (passed, steps);
    }
}
