using System.Diagnostics;
using System.Text.Json;

namespace Modernizer.Cli.Tests;

/// <summary><c>modernize analyze</c> as a user runs it: the mode it chose, one JSON shape, plain
/// text when redirected, exit codes that tell findings from blindness, and hostile input.</summary>
public sealed class AnalyzeCommandTests
{
    private const string SparkJob = """
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()
        orders = spark.table("raw.orders")
        for row in orders.collect():
            print(row.order_id)
        orders.write.mode("overwrite").saveAsTable("curated.orders")
        """;

    [Fact]
    public async Task A_project_with_a_jobs_subfolder_and_code_beside_it_is_analysed_as_one_job_and_says_so()
    {
        using var folder = new TempFolder();
        Write(folder, "jobs/etl_job.py", """
            from dependencies.spark import start_spark

            def main():
                spark, log, config = start_spark(app_name="etl")
                data = spark.read.parquet("/mnt/lake/raw/employees")
                data.write.mode("overwrite").saveAsTable("curated.employees")

            main()
            """);
        Write(folder, "dependencies/spark.py", """
            from pyspark.sql import SparkSession

            def start_spark(app_name):
                spark = SparkSession.builder.appName(app_name).getOrCreate()
                return spark, None, {}
            """);
        Write(folder, "Pipfile", "[packages]\n");

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "analyze", folder.Path, "--json", Path.Combine(folder.Path, "report.json"));

        Assert.Equal(0, exit);
        Assert.Contains("as one job: 2 code file(s)", output, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder.Path, "report.json")));
        var job = Assert.Single(report.RootElement.GetProperty("jobs").EnumerateArray());
        Assert.Equal(["raw.employees"], job.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["curated.employees"], job.GetProperty("targets").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task The_json_report_has_one_shape_for_a_file_and_for_a_workspace()
    {
        using var folder = new TempFolder();
        Write(folder, "modernize.yaml", "version: 1\n");
        Write(folder, "jobs/a/main.py", SparkJob);
        Write(folder, "jobs/b/main.py", SparkJob);
        var fileReport = Path.Combine(folder.Path, "file.json");
        var workspaceReport = Path.Combine(folder.Path, "workspace.json");

        var (fileExit, _) = await CliRunner.RunAsync(CliRunner.Services(), "analyze", Path.Combine(folder.Path, "jobs/a/main.py"), "--json", fileReport);
        var (workspaceExit, output) = await CliRunner.RunAsync(CliRunner.Services(), "analyze", folder.Path, "--json", workspaceReport);

        Assert.Equal(1, fileExit);
        Assert.Equal(1, workspaceExit);
        Assert.Contains("workspace: 2 job folder(s) under jobs/", output, StringComparison.Ordinal);
        using var one = JsonDocument.Parse(await File.ReadAllTextAsync(fileReport));
        using var many = JsonDocument.Parse(await File.ReadAllTextAsync(workspaceReport));
        Assert.Equal(Keys(one.RootElement), Keys(many.RootElement));
        Assert.Equal(Keys(one.RootElement.GetProperty("jobs")[0]), Keys(many.RootElement.GetProperty("jobs")[1]));
        Assert.Equal(1, one.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Equal(2, many.RootElement.GetProperty("totals").GetProperty("jobs").GetInt32());
    }

    [Fact]
    public async Task Redirected_output_is_one_plain_line_per_finding_with_the_full_path()
    {
        using var folder = new TempFolder();
        Write(folder, "a_rather_long_folder_name_for_wrapping/and_a_long_job_file_name_that_a_table_would_wrap.py", SparkJob);

        var (_, output) = await CliRunner.RunAsync(CliRunner.Services(), "analyze", folder.Path);

        Assert.DoesNotContain("─", output, StringComparison.Ordinal);
        Assert.Contains("a_rather_long_folder_name_for_wrapping/and_a_long_job_file_name_that_a_table_would_wrap.py:5: anti-pattern ITR01:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spark_code_in_which_nothing_is_recognised_is_not_reported_as_clean()
    {
        using var folder = new TempFolder();
        Write(folder, "job.py", """
            import pyspark
            from mylib import build_everything

            build_everything()
            """);

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "analyze", Path.Combine(folder.Path, "job.py"));

        Assert.Equal(4, exit);
        Assert.Contains("not understood (no spark operation)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_file_is_named_and_the_other_files_are_still_analysed()
    {
        using var folder = new TempFolder();
        Write(folder, "good.py", SparkJob);
        Write(folder, "broken.py", "def f(:\n    pass\n");
        Write(folder, "unpacking.py", "from pyspark.sql import SparkSession\nextra = {**base, 'k': 1}\ndef f(*, a):\n    return a\n");

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "analyze", folder.Path);

        Assert.Equal(5, exit);
        Assert.Contains("broken.py:1", output, StringComparison.Ordinal);
        Assert.Contains("anti-pattern ITR01", output, StringComparison.Ordinal);
        Assert.DoesNotContain("MoveToImmutable", output, StringComparison.Ordinal);
    }

    /// <summary>A 10,000-line withColumn chain used to overflow the stack (exit 134, no message);
    /// run as a separate process, since a stack overflow cannot be caught in-process.</summary>
    [Fact]
    public async Task A_ten_thousand_step_with_column_chain_is_analysed_by_the_cli_process_without_crashing()
    {
        using var folder = new TempFolder();
        var lines = new List<string> { "from pyspark.sql import functions as F", "df = spark.table('raw.orders')" };
        lines.AddRange(Enumerable.Range(0, 10_000).Select(i => $"df = df.withColumn('c{i}', F.col('amount') * {i} + F.lit({i}))"));
        lines.Add("df.write.mode('overwrite').saveAsTable('curated.wide')");
        Write(folder, "wide.py", string.Join('\n', lines) + "\n");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "modernize.dll"), "analyze", Path.Combine(folder.Path, "wide.py"), "--json", Path.Combine(folder.Path, "wide.json") })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode is 0 or 1 or 4 or 5, $"exit {process.ExitCode}: {stdout} {await stderr}");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder.Path, "wide.json")));
        var job = report.RootElement.GetProperty("jobs")[0];
        Assert.Equal(["curated.wide"], job.GetProperty("targets").EnumerateArray().Select(s => s.GetString()));
    }

    private static void Write(TempFolder folder, string relative, string text)
    {
        var path = Path.Combine(folder.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
    }

    private static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
