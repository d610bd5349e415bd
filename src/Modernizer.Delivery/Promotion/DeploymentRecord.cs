using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modernizer.Domain;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery.Promotion;

/// <summary>What is deployed in one environment: the Databricks job, the rewrite it runs, the
/// validation and shadow runs of that rewrite, and the definition it replaced (kept for rollback).</summary>
public sealed record EnvironmentDeployment(
    string Environment,
    long DatabricksJobId,
    string RewriteHash,
    string DeployedAt,
    long? ValidationRunId,
    string? ValidationResult,
    int ShadowRunsPassed,
    JsonObject? PreviousSettings,
    bool CreatedByModernizer);

/// <summary><c>.modernize/jobs/&lt;job&gt;/deployment.json</c>: each environment's deployment and the
/// furthest environment the current rewrite reached (what <c>modernize status</c> shows).</summary>
public sealed record DeploymentRecord(string JobId, ImmutableArray<EnvironmentDeployment> Environments)
{
    public static string PathFor(WorkspacePaths workspace, JobId job)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return Path.Combine(workspace.JobOutput(job), "deployment.json");
    }

    public EnvironmentDeployment? In(string environment) => Environments.FirstOrDefault(e => e.Environment == environment);

    /// <summary>The furthest of dev → staging → prod where <paramref name="rewriteHash"/> runs (any hash when null).</summary>
    public string? Furthest(string? rewriteHash = null) =>
        Domain.Configuration.DeliverySettings.Environments.LastOrDefault(env => In(env) is { } d && (rewriteHash is null || d.RewriteHash == rewriteHash));

    public DeploymentRecord With(EnvironmentDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return this with { Environments = [.. Environments.Where(e => e.Environment != deployment.Environment).Append(deployment).OrderBy(e => Domain.Configuration.DeliverySettings.Environments.IndexOf(e.Environment))] };
    }

    public static async Task<DeploymentRecord> ReadAsync(WorkspacePaths workspace, JobId job, CancellationToken cancellationToken)
    {
        var path = PathFor(workspace, job);
        if (!File.Exists(path))
        {
            return new DeploymentRecord(job.Value, []);
        }

        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<DeploymentRecord>(stream, JsonDefaults.Artifact, cancellationToken).ConfigureAwait(false)
                ?? new DeploymentRecord(job.Value, []);
        }
        catch (JsonException e)
        {
            throw new DeliveryException($"{path}: not a valid deployment record ({e.Message})", e);
        }
    }

    public Task<string> WriteAsync(WorkspacePaths workspace, CancellationToken cancellationToken) =>
        AtomicFile.WriteJsonAsync(PathFor(workspace, new JobId(JobId)), this, cancellationToken);

    /// <summary>The environment shown by <c>modernize status</c>; null when never deployed.</summary>
    public static string? EnvironmentOf(WorkspacePaths workspace, JobId job)
    {
        var path = PathFor(workspace, job);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<DeploymentRecord>(stream, JsonDefaults.Artifact)?.Furthest();
        }
        catch (JsonException)
        {
            return "unreadable deployment.json";
        }
    }
}
