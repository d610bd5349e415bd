using System.Text.Json;
using Modernizer.Cli.Composition;
using Modernizer.Domain;
using Modernizer.Domain.Workspace;

namespace Modernizer.Cli.Tests.Security;

/// <summary>Job ids are catalog data. Through the real <c>modernize run</c> (the product's roles), ids
/// such as <c>../../../escape</c>, absolute paths, <c>../../etc/passwd</c>, a NUL byte or thousands of
/// characters never make the run read code outside <c>jobs/</c> or write outside <c>.modernize/</c>.</summary>
public sealed class HostileJobIdTests
{
    [Fact]
    public async Task A_run_over_hostile_job_ids_reads_only_jobs_and_writes_only_the_output_folder()
    {
        using var temp = new TempFolder();
        var root = Path.Combine(temp.Path, "a", "b", "ws");
        Directory.CreateDirectory(Path.Combine(root, "lake"));
        var absolute = Path.Combine(temp.Path, "abs");
        var longId = "long_" + new string('x', 300);
        var tooLong = new string('y', JobId.MaxLength + 1);

        // Code planted where the raw ids point: a run that followed them would read it.
        Plant(Path.Combine(temp.Path, "a", "escape"), "outside.escape");
        Plant(absolute, "outside.absolute");
        Plant(Path.Combine(temp.Path, "a", "b", "etc", "passwd"), "outside.passwd");
        // The one folder of "../../etc/passwd" inside jobs/ holds its real code.
        Plant(Path.Combine(root, "jobs", "..%2F..%2Fetc%2Fpasswd"), "raw.inside");
        Plant(Path.Combine(root, "jobs", WorkspacePaths.JobFolder(new JobId(longId))), "raw.long");

        string[] ids = ["../../../escape", absolute, "../../etc/passwd", longId];
        var quoted = string.Join(", ", ids.Select(id => JsonSerializer.Serialize(id)));
        await File.WriteAllTextAsync(Path.Combine(root, "modernize.yaml"),
            $"phases:\n  enabled: [2]\nselection:\n  jobs: [{quoted}, \"nul\\0id\", \"{tooLong}\"]\nconcurrency:\n  max_jobs: 1\n");
        var before = Files(temp.Path);

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(RoleRegistrations.CreateDefault(_ => null)), "run", "--workspace", root, "--json");

        Assert.True(exit is 0 or 1, output);
        var written = Files(temp.Path).Except(before).ToArray();
        Assert.NotEmpty(written);
        Assert.All(written, file => Assert.StartsWith(Path.Combine(root, ".modernize") + Path.DirectorySeparatorChar, file, StringComparison.Ordinal));

        using var run = JsonDocument.Parse(output);
        var jobs = run.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("job_id").GetString()!, j => j);
        Assert.Equal(4, jobs.Count);
        Assert.Equal("no_code", jobs["../../../escape"].GetProperty("state").GetString());
        Assert.Contains("jobs/..%2F..%2F..%2Fescape/", jobs["../../../escape"].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("no_code", jobs[absolute].GetProperty("state").GetString());
        var problem = run.RootElement.GetProperty("selection_problem").GetString();
        Assert.Contains("control character", problem, StringComparison.Ordinal);
        Assert.Contains("characters long", problem, StringComparison.Ordinal);

        // The jobs with code were analysed from their own folders, into their own output folders.
        var passwd = Path.Combine(root, ".modernize", "jobs", "..%2F..%2Fetc%2Fpasswd", "analysis.json");
        Assert.Contains("raw.inside", await File.ReadAllTextAsync(passwd), StringComparison.Ordinal);
        var longAnalysis = Path.Combine(root, ".modernize", "jobs", WorkspacePaths.JobFolder(new JobId(longId)), "analysis.json");
        Assert.Contains("raw.long", await File.ReadAllTextAsync(longAnalysis), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(root, ".modernize"), "*", SearchOption.AllDirectories),
            f => File.ReadAllText(f).Contains("outside.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_job_folder_whose_name_is_no_escaped_id_is_reported_not_guessed()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, "lake"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "catalog"));
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "catalog", "jobs.csv"), "job_id,name,schedule,owner,tags,code_path,last_modified\norders_daily,Orders,0 2 * * *,a,,,2024-01-15\n");
        Plant(Path.Combine(temp.Path, "jobs", "50%off"), "raw.t");
        Plant(Path.Combine(temp.Path, "jobs", "orders_daily"), "raw.t");
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "modernize.yaml"), "phases:\n  enabled: [1]\n");

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(RoleRegistrations.CreateDefault(_ => null)), "inventory", "--workspace", temp.Path);

        Assert.True(exit == 0, output);
        var inventory = await File.ReadAllTextAsync(Path.Combine(temp.Path, ".modernize", "portfolio", "inventory.json"));
        Assert.Contains("\"job_id\": \"orders_daily\"", inventory, StringComparison.Ordinal);
        Assert.Contains("jobs/50%off/", inventory, StringComparison.Ordinal);
        Assert.Contains("not a job folder name", inventory, StringComparison.Ordinal);
    }

    private static void Plant(string folder, string table)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "main.py"), $"df = spark.table('{table}')\ndf.write.mode('overwrite').saveAsTable('curated.out')\n");
    }

    private static HashSet<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToHashSet(StringComparer.Ordinal);
}
