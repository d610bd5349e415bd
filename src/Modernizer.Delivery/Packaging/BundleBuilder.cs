using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Modernizer.Delivery.Analysis;
using Modernizer.Delivery.Rewrites;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery.Packaging;

/// <summary>One job as it goes into a bundle.</summary>
public sealed record BundleJob(RewriteManifest Rewrite, JobProfile Profile);

/// <summary>A written bundle: its folder, its name, the files in it (relative), what to fix in the
/// configuration (warnings), and the secrets found in it (a bundle with any is not written).</summary>
public sealed record BundleResult(
    string Name,
    string? Folder,
    ImmutableArray<string> Files,
    ImmutableArray<string> Warnings,
    ImmutableArray<Finding> Secrets)
{
    public bool Written => Folder is not null;
}

/// <summary>Packages rewrites as a Databricks Asset Bundle (R5.1): <c>databricks.yml</c> with one job
/// resource per job (a SQL task on a warehouse, or a notebook task where a Python driver remains), the
/// legacy schedule in Quartz syntax and the same time zone, parameters with their defaults, tags with
/// the legacy job id and the rewrite hash, permissions and the dev/staging/prod targets; beside it the
/// SQL, the spec, the tests, the reconciliation report, validation.json and the <c>.sqlfluff</c>.
/// The document is checked against the bundle schema and every file is scanned for secrets before the
/// bundle replaces the previous one (one rename, so a half-written bundle is never seen).</summary>
public sealed class BundleBuilder(WorkspacePaths workspace, DeliverySettings settings)
{
    public const string WarehouseVariable = "warehouse_id";

    /// <summary>The folder of a job's bundle, or of a batch's.</summary>
    public string FolderFor(JobId job) => settings.BundlePer == BundleGrouping.Job
        ? Path.Combine(workspace.JobOutput(job), "bundle")
        : Path.Combine(workspace.Output, "bundles", settings.BatchName);

    public static string NameFor(DeliverySettings settings, JobId job)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.BundlePer == BundleGrouping.Job ? "modernize_" + Key(job.Value) : Key(settings.BatchName);
    }

    /// <summary>Where a job's files sit inside its bundle: the root for a job bundle, a folder per job in a batch.</summary>
    public string PrefixFor(JobId job) => settings.BundlePer == BundleGrouping.Job ? string.Empty : Key(job.Value) + "/";

    public async Task<BundleResult> BuildAsync(IReadOnlyList<BundleJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            throw new ArgumentException("A bundle needs at least one job.", nameof(jobs));
        }

        var name = NameFor(settings, jobs[0].Rewrite.Job);
        var folder = FolderFor(jobs[0].Rewrite.Job);
        var warnings = new List<string>();
        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        try
        {
            var resources = new JsonObject();
            foreach (var job in jobs)
            {
                resources[Key(job.Rewrite.Job.Value)] = await AddJobAsync(staging, job, warnings, cancellationToken).ConfigureAwait(false);
            }

            var document = Document(name, resources, warnings);
            var errors = BundleSchema.Validate(document);
            if (!errors.IsEmpty)
            {
                throw new DeliveryException($"the bundle {name} does not match the bundle schema: " + string.Join("; ", errors));
            }

            await File.WriteAllTextAsync(Path.Combine(staging, "databricks.yml"), YamlWriter.Write(document,
                $"Databricks Asset Bundle written by Modernizer for {string.Join(", ", jobs.Select(j => j.Rewrite.Job.Value))}.\nDeploy: databricks bundle deploy -t dev|staging|prod (modernize promote does the same through the Jobs API)."), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(staging, SqlfluffConfig.FileName),
                SqlfluffConfig.Render(StaticAnalysisSettings.Default with { }, jobs.SelectMany(j => j.Rewrite.Parameters).DistinctBy(p => p.Name)), cancellationToken).ConfigureAwait(false);

            var secrets = await SecretScanner.ScanFolderAsync(staging, cancellationToken).ConfigureAwait(false);
            var files = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(staging, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToImmutableArray();
            if (!secrets.IsEmpty)
            {
                return new BundleResult(name, null, files, [.. warnings], secrets);
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            Directory.Move(staging, folder);
            return new BundleResult(name, folder, files, [.. warnings], []);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private async Task<JsonObject> AddJobAsync(string root, BundleJob job, List<string> warnings, CancellationToken cancellationToken)
    {
        var rewrite = job.Rewrite;
        var id = rewrite.Job;
        var prefix = PrefixFor(id);
        var output = workspace.JobOutput(id);
        Copy(rewrite.Layout.SparkSql, Path.Combine(root, prefix + "src", Path.GetFileName(rewrite.Layout.SparkSql)));
        foreach (var driver in rewrite.PythonDrivers)
        {
            Copy(driver, Path.Combine(root, prefix + "src", Path.GetFileName(driver)));
        }

        Copy(rewrite.Layout.Review, Path.Combine(root, prefix + "review", "rewrite.md"));
        Copy(rewrite.Layout.Manifest, Path.Combine(root, prefix + "review", "rewrite.json"));
        Copy(Path.Combine(output, "spec.json"), Path.Combine(root, prefix + "spec", "spec.json"));
        Copy(Path.Combine(output, "spec.md"), Path.Combine(root, prefix + "spec", "spec.md"));
        CopyFolder(Path.Combine(output, "tests"), Path.Combine(root, prefix + "tests"));
        foreach (var report in Directory.Exists(output) ? Directory.GetFiles(output, "reconciliation*.*") : [])
        {
            Copy(report, Path.Combine(root, prefix + "reconciliation", Path.GetFileName(report)));
        }

        Copy(StaticAnalyzer.ValidationPath(workspace, id), Path.Combine(root, prefix + "validation.json"));
        foreach (var missing in new[] { "spec.json", "tests", "reconciliation.json", "validation.json" }.Where(f => !File.Exists(Path.Combine(output, f)) && !Directory.Exists(Path.Combine(output, f))))
        {
            warnings.Add($"{id}: {missing} is not in .modernize/jobs/{id}/ yet, so the bundle does not carry it");
        }

        var job_ = new JsonObject
        {
            ["name"] = job.Profile.Name,
            ["description"] = string.Create(CultureInfo.InvariantCulture,
                $"Set-based rewrite of the legacy job {id} by Modernizer (rewrite {rewrite.CurrentHash[..12]}). Spec, tests and the reconciliation report are in this bundle."),
            ["tags"] = Tags(job),
        };
        if (Schedule(job, warnings) is { } schedule)
        {
            job_["schedule"] = schedule;
        }

        if (!rewrite.Parameters.IsEmpty)
        {
            job_["parameters"] = new JsonArray([.. rewrite.Parameters.Select(p =>
            {
                if (p.Default is null)
                {
                    warnings.Add($"{id}: parameter {p.Name} has no default (the legacy value is None); the job passes an empty string unless a run sets it");
                }

                return (JsonNode)new JsonObject { ["name"] = p.Name, ["default"] = p.Default ?? string.Empty };
            })]);
        }

        job_["tasks"] = new JsonArray(Task(rewrite, prefix));
        job_["max_concurrent_runs"] = 1;
        if (!settings.Permissions.IsEmpty)
        {
            job_["permissions"] = new JsonArray([.. settings.Permissions.Select(p => (JsonNode)Permission(p.Key, p.Value))]);
        }

        await System.Threading.Tasks.Task.CompletedTask.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return job_;
    }

    private static JsonObject Task(RewriteManifest rewrite, string prefix)
    {
        var key = Key(rewrite.Job.Value);
        if (rewrite.PythonDrivers.FirstOrDefault() is { } driver)
        {
            return new JsonObject
            {
                ["task_key"] = key,
                ["notebook_task"] = new JsonObject
                {
                    ["notebook_path"] = $"./{prefix}src/{Path.GetFileName(driver)}",
                    ["base_parameters"] = new JsonObject([.. rewrite.Parameters.Select(p => new KeyValuePair<string, JsonNode?>(p.Name, "{{job.parameters." + p.Name + "}}"))]),
                },
            };
        }

        return new JsonObject
        {
            ["task_key"] = key,
            ["sql_task"] = new JsonObject
            {
                ["warehouse_id"] = "${var." + WarehouseVariable + "}",
                ["file"] = new JsonObject { ["path"] = $"./{prefix}src/{Path.GetFileName(rewrite.Layout.SparkSql)}" },
            },
        };
    }

    private static JsonObject Tags(BundleJob job)
    {
        var tags = new JsonObject
        {
            ["legacy_job_id"] = job.Rewrite.Job.Value,
            ["rewrite_hash"] = job.Rewrite.CurrentHash,
            ["modernized_by"] = "modernizer",
        };
        if (job.Profile.CatalogJobId is { } catalog)
        {
            tags["legacy_catalog_job_id"] = catalog;
        }

        foreach (var tag in job.Profile.Tags.Take(20).Where(t => !tags.ContainsKey(t)))
        {
            tags[tag] = string.Empty;
        }

        return tags;
    }

    private JsonObject? Schedule(BundleJob job, List<string> warnings)
    {
        if (job.Profile.Schedule is not { } schedule)
        {
            warnings.Add($"{job.Rewrite.Job}: no schedule in job.yaml or the inventory; the job runs only when triggered");
            return null;
        }

        try
        {
            var quartz = QuartzConverter.Convert(schedule, job.Profile.TimeZone ?? settings.DefaultTimeZone);
            return new JsonObject
            {
                ["quartz_cron_expression"] = quartz.Expression,
                ["timezone_id"] = quartz.TimeZone,
                ["pause_status"] = "UNPAUSED",
            };
        }
        catch (DeliveryException e)
        {
            warnings.Add($"{job.Rewrite.Job}: the schedule is left out: {e.Message}");
            return null;
        }
    }

    private static JsonObject Permission(string principal, string level)
    {
        var (kind, name) = principal.IndexOf(':', StringComparison.Ordinal) is var i and > 0 ? (principal[..i], principal[(i + 1)..]) : ("user", principal);
        return new JsonObject
        {
            ["level"] = level,
            [kind switch { "group" => "group_name", "service_principal" => "service_principal_name", _ => "user_name" }] = name,
        };
    }

    private JsonObject Document(string name, JsonObject resources, List<string> warnings)
    {
        var targets = new JsonObject();
        foreach (var target in settings.Targets)
        {
            var workspaceNode = new JsonObject { ["root_path"] = target.RootPath.TrimEnd('/') + "/${bundle.name}" };
            if (target.Host is { } host)
            {
                workspaceNode["host"] = host;
            }

            var node = new JsonObject
            {
                ["mode"] = target.Name == "dev" ? "development" : "production",
                ["workspace"] = workspaceNode,
            };
            if (target.Name == "dev")
            {
                node["default"] = true;
            }

            if (target.WarehouseId is { } warehouse)
            {
                node["variables"] = new JsonObject { [WarehouseVariable] = warehouse };
            }

            if (!target.IsConfigured)
            {
                warnings.Add($"target {target.Name}: set delivery.targets.{target.Name}.host and warehouse_id in modernize.yaml to deploy there");
            }

            targets[target.Name] = node;
        }

        return new JsonObject
        {
            ["bundle"] = new JsonObject { ["name"] = name },
            ["variables"] = new JsonObject
            {
                [WarehouseVariable] = new JsonObject { ["description"] = "The SQL warehouse the jobs' SQL tasks run on (set per target)." },
            },
            ["resources"] = new JsonObject { ["jobs"] = resources },
            ["targets"] = targets,
        };
    }

    /// <summary>A resource key or bundle name: letters, digits and underscores.</summary>
    public static string Key(string text) => string.Concat((text ?? string.Empty).Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_'));

    private static void Copy(string from, string to)
    {
        if (!File.Exists(from))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }

    private static void CopyFolder(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (!Path.GetFileName(file).StartsWith('.'))
            {
                Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
            }
        }
    }
}
