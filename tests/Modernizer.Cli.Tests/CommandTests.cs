using System.Text.Json;
using Modernizer.Cli.Composition;
using Modernizer.Domain.Roles;
using Modernizer.Pipeline.Harness;

namespace Modernizer.Cli.Tests;

/// <summary>The commands end to end in-process: init, run, status, decisions, escalations, demo;
/// exit codes 0 ok / 1 findings / 2 error (R5.2, X2, X3).</summary>
public sealed class CommandTests
{
    private static StageWorkRegistry Synthetic(Func<RoleDefinition, bool>? include = null)
    {
        var registry = new StageWorkRegistry();
        foreach (var role in RoleCatalog.All.Where(r => r.Role != RoleId.Supervisor && (include?.Invoke(r) ?? true)))
        {
            registry.Add(role.Role, _ => new SyntheticStage(role));
        }

        return registry;
    }

    private static async Task<string> InitWithJobs(TempFolder folder, params string[] jobs)
    {
        var (exit, _) = await CliRunner.RunAsync(CliRunner.Services(), "init", folder.Path);
        Assert.Equal(0, exit);
        foreach (var job in jobs)
        {
            Directory.CreateDirectory(Path.Combine(folder.Path, "jobs", job));
            await File.WriteAllTextAsync(Path.Combine(folder.Path, "jobs", job, "main.py"), "df = spark.table('raw.t')\n");
        }

        return folder.Path;
    }

    [Fact]
    public async Task Init_writes_a_commented_configuration_and_the_input_folders_and_refuses_to_overwrite()
    {
        using var folder = new TempFolder();
        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "init", folder.Path);
        Assert.Equal(0, exit);
        Assert.Contains("modernize.yaml", output, StringComparison.Ordinal);
        var yaml = await File.ReadAllTextAsync(Path.Combine(folder.Path, "modernize.yaml"));
        Assert.Contains("# ", yaml, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "lake")));
        Assert.Equal(2, (await CliRunner.RunAsync(CliRunner.Services(), "init", folder.Path)).Exit);
        Assert.Equal(0, (await CliRunner.RunAsync(CliRunner.Services(), "init", folder.Path, "--force")).Exit);
    }

    [Fact]
    public async Task Run_with_an_escalated_job_exits_1_and_status_decisions_and_escalations_tell_the_story()
    {
        using var folder = new TempFolder();
        var workspace = await InitWithJobs(folder, "orders_daily", "payroll_esc");
        var services = CliRunner.Services(Synthetic());

        var (exit, output) = await CliRunner.RunAsync(services, "run", "--workspace", workspace, "--json");
        Assert.Equal(1, exit);
        using (var run = JsonDocument.Parse(output))
        {
            Assert.Equal(1, run.RootElement.GetProperty("counts").GetProperty("escalated").GetInt32());
            Assert.Equal(1, run.RootElement.GetProperty("counts").GetProperty("done").GetInt32());
            Assert.Equal(1, run.RootElement.GetProperty("counts").GetProperty("no_code").GetInt32());
        }

        var (statusExit, status) = await CliRunner.RunAsync(services, "status", "-w", workspace, "--json");
        Assert.Equal(0, statusExit);
        using (var report = JsonDocument.Parse(status))
        {
            var jobs = report.RootElement.GetProperty("jobs").EnumerateArray().ToArray();
            var payroll = jobs.Single(j => j.GetProperty("job_id").GetString() == "payroll_esc");
            Assert.Equal("escalated", payroll.GetProperty("state").GetString());
            Assert.True(payroll.GetProperty("tokens").GetInt64() > 0);
            Assert.Equal(1, report.RootElement.GetProperty("open_escalations").GetInt32());
            Assert.All(report.RootElement.GetProperty("stages").EnumerateArray(), s => Assert.True(s.GetProperty("available").GetBoolean()));
        }

        var (listExit, list) = await CliRunner.RunAsync(services, "escalations", "list", "-w", workspace, "--json");
        Assert.Equal(1, listExit);
        string id;
        using (var escalations = JsonDocument.Parse(list))
        {
            id = escalations.RootElement.GetProperty("escalations")[0].GetProperty("id").GetString()!;
        }

        var (showExit, show) = await CliRunner.RunAsync(services, "escalations", "show", id, "-w", workspace);
        Assert.Equal(0, showExit);
        Assert.Contains("SOX rule of payroll_esc", show, StringComparison.Ordinal);

        Assert.Equal(2, (await CliRunner.RunAsync(services, "escalations", "approve", id, "-w", workspace)).Exit);
        var (approveExit, approved) = await CliRunner.RunAsync(services, "escalations", "approve", id, "--by", "ana", "--reason", "confirmed", "-w", workspace);
        Assert.Equal(0, approveExit);
        Assert.Contains("continues on the next run", approved, StringComparison.Ordinal);

        var (rerun, _) = await CliRunner.RunAsync(services, "run", "--workspace", workspace);
        Assert.Equal(0, rerun);

        var (decisionsExit, decisions) = await CliRunner.RunAsync(services, "decisions", "-w", workspace, "--job", "payroll_esc", "--role", "supervisor");
        Assert.Equal(0, decisionsExit);
        Assert.Contains("escalation_approved", decisions, StringComparison.Ordinal);
        Assert.Contains("1 decisions", decisions, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync(services, "decisions", "-w", workspace, "--verify")).Exit);
    }

    [Fact]
    public async Task Json_to_a_file_writes_the_machine_result_and_keeps_the_human_one_on_screen()
    {
        using var folder = new TempFolder();
        var workspace = await InitWithJobs(folder, "orders_daily");
        var services = CliRunner.Services(Synthetic());
        var file = Path.Combine(folder.Path, "run.json");
        var (exit, output) = await CliRunner.RunAsync(services, "run", "--workspace", workspace, "--phase", "2", "--json", file);
        Assert.Equal(0, exit);
        Assert.Contains("orders_daily", output, StringComparison.Ordinal);
        using var run = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var job = run.RootElement.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job_id").GetString() == "orders_daily");
        Assert.Equal("done", job.GetProperty("state").GetString());
        Assert.Equal("spec", job.GetProperty("stage").GetString());
        Assert.Equal("done through phase 2", job.GetProperty("message").GetString());

        var (decisionsExit, decisions) = await CliRunner.RunAsync(services, "decisions", "-w", workspace, "--role", "spec_writer", "--json");
        Assert.Equal(0, decisionsExit);
        using var log = JsonDocument.Parse(decisions);
        var entry = Assert.Single(log.RootElement.GetProperty("decisions").EnumerateArray());
        Assert.Equal("orders_daily", entry.GetProperty("job_id").GetString());
        Assert.Equal(64, entry.GetProperty("hash").GetString()!.Length);
    }

    [Fact]
    public async Task Decisions_verify_names_the_first_edited_entry_and_exits_1()
    {
        using var folder = new TempFolder();
        var workspace = await InitWithJobs(folder, "orders_daily");
        var services = CliRunner.Services(Synthetic());
        Assert.Equal(0, (await CliRunner.RunAsync(services, "run", "--workspace", workspace)).Exit);

        var log = Path.Combine(workspace, ".modernize", "decisions.jsonl");
        var lines = await File.ReadAllLinesAsync(log);
        lines[4] = lines[4].Replace("\"confidence\":0.9", "\"confidence\":0.99", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(log, lines);

        var (exit, output) = await CliRunner.RunAsync(services, "decisions", "-w", workspace, "--verify");
        Assert.Equal(1, exit);
        Assert.Contains("decisions.jsonl: broken at line 5 (seq 5)", output, StringComparison.Ordinal);
        Assert.Contains("state store: intact", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_shows_roles_that_are_not_available_and_the_job_waiting_there()
    {
        using var folder = new TempFolder();
        var workspace = await InitWithJobs(folder, "orders_daily");
        var services = CliRunner.Services(Synthetic(r => r.Stage != StageId.Profile));
        Assert.Equal(0, (await CliRunner.RunAsync(services, "run", "--workspace", workspace)).Exit);
        var (exit, output) = await CliRunner.RunAsync(services, "status", "-w", workspace);
        Assert.Equal(0, exit);
        Assert.Contains("Data Profiler not available", output, StringComparison.Ordinal);
        Assert.Contains("waits at profile: role Data Profiler (R2.2) is not available", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_configuration_exits_2_naming_file_line_and_key()
    {
        using var folder = new TempFolder();
        var workspace = await InitWithJobs(folder);
        await File.WriteAllTextAsync(Path.Combine(workspace, "modernize.yaml"), "prioritization:\n  weights:\n    cost: 0.9\n");
        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "run", "--workspace", workspace);
        Assert.Equal(2, exit);
        Assert.Contains("modernize.yaml:2: prioritization.weights: the weights", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_and_a_missing_workspace_exit_2()
    {
        using var folder = new TempFolder();
        Assert.Equal(2, (await CliRunner.RunAsync(CliRunner.Services(), "run", "--workspace", folder.Path)).Exit);
        Assert.Equal(2, (await CliRunner.RunAsync(CliRunner.Services(), "run", "--phase", "9")).Exit);
        Assert.Equal(2, (await CliRunner.RunAsync(CliRunner.Services(), "frobnicate")).Exit);
    }

    [Fact]
    public async Task Every_command_has_help_with_an_example()
    {
        string[][] commands = [["init"], ["run"], ["status"], ["decisions"], ["escalations", "list"], ["escalations", "show"],
            ["escalations", "approve"], ["escalations", "reject"], ["demo"]];
        foreach (var command in commands)
        {
            var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), [.. command, "--help"]);
            Assert.Equal(0, exit);
            Assert.Contains("EXAMPLES:", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Demo_without_the_sample_says_so_and_exits_2_and_with_one_writes_and_runs_it()
    {
        using var folder = new TempFolder();
        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "demo", folder.Path);
        Assert.Equal(2, exit);
        Assert.Contains("sample workspace is not available", output, StringComparison.Ordinal);

        var (ran, _) = await CliRunner.RunAsync(CliRunner.Services(Synthetic(), new TinySample()), "demo", folder.Path);
        Assert.Equal(0, ran);
        Assert.True(File.Exists(Path.Combine(folder.Path, ".modernize", "jobs", "orders_daily", "deploy.json")));
    }

    /// <summary>Writes a one-job workspace, standing where Modernizer.Samples will be wired in.</summary>
    private sealed class TinySample : ISampleWorkspace
    {
        public async Task WriteAsync(string directory, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(Path.Combine(directory, "lake"));
            Directory.CreateDirectory(Path.Combine(directory, "jobs", "orders_daily"));
            await File.WriteAllTextAsync(Path.Combine(directory, "jobs", "orders_daily", "main.py"), "df = spark.table('raw.orders')\n", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "modernize.yaml"), "selection:\n  top_n: 1\n", cancellationToken);
        }
    }
}
