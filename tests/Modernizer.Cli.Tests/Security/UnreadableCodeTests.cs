using System.Text.Json;
using Modernizer.Cli.Composition;

namespace Modernizer.Cli.Tests.Security;

/// <summary>R2.1 through the real <c>modernize run</c>: job code that cannot be read (a syntax error,
/// a binary .py, Python 2) fails that job's code review visibly, with the file and position, and logs
/// the decision; it never passes as an empty analysis. The other jobs go on.</summary>
public sealed class UnreadableCodeTests
{
    [Fact]
    public async Task Unreadable_code_fails_the_code_review_naming_file_and_position_and_the_readable_job_goes_on()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, "lake"));
        Write(temp.Path, "broken", "df = spark.table('raw.orders')\ndef total(:\n    return 1\n"u8.ToArray());
        Write(temp.Path, "binary", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0xFF, 0xFE, 0x00, 0x10, 0x0A, 0x00]);
        Write(temp.Path, "python2", "import sys\nprint \"total\", 42\n"u8.ToArray());
        Write(temp.Path, "readable", "df = spark.table('raw.orders')\ndf.write.mode('overwrite').saveAsTable('curated.orders')\n"u8.ToArray());
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "modernize.yaml"),
            "phases:\n  enabled: [2]\nselection:\n  jobs: [broken, binary, python2, readable]\nconcurrency:\n  max_jobs: 1\n");
        var services = CliRunner.Services(RoleRegistrations.CreateDefault(_ => null));

        var (exit, output) = await CliRunner.RunAsync(services, "run", "--workspace", temp.Path, "--json");

        Assert.Equal(1, exit);
        using var run = JsonDocument.Parse(output);
        var jobs = run.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("job_id").GetString()!, j => j);
        foreach (var (job, place) in new[] { ("broken", "jobs/broken/main.py:2:"), ("binary", "jobs/binary/main.py:1:"), ("python2", "jobs/python2/main.py:2:") })
        {
            Assert.Equal("failed", jobs[job].GetProperty("state").GetString());
            Assert.Equal("code_review", jobs[job].GetProperty("stage").GetString());
            var message = jobs[job].GetProperty("message").GetString();
            Assert.Contains("cannot be read", message, StringComparison.Ordinal);
            Assert.Contains(place, message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(temp.Path, ".modernize", "jobs", job, "analysis.json")), job);
        }

        Assert.NotEqual("failed", jobs["readable"].GetProperty("state").GetString());
        Assert.True(File.Exists(Path.Combine(temp.Path, ".modernize", "jobs", "readable", "analysis.json")));

        var (_, decisions) = await CliRunner.RunAsync(services, "decisions", "--workspace", temp.Path, "--job", "python2", "--json");
        Assert.Contains("code_unreadable", decisions, StringComparison.Ordinal);
    }

    private static void Write(string root, string job, byte[] code)
    {
        Directory.CreateDirectory(Path.Combine(root, "jobs", job));
        File.WriteAllBytes(Path.Combine(root, "jobs", job, "main.py"), code);
    }
}
