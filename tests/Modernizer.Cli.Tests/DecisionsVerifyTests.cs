using Microsoft.Data.Sqlite;
using Modernizer.Cli.Composition;
using Modernizer.Domain.Roles;
using Modernizer.Pipeline.Harness;

namespace Modernizer.Cli.Tests;

/// <summary>X2 through <c>modernize decisions --verify</c>: a decisions.jsonl whose tail was cut (the
/// last line, half the file, every line, the file itself) and a store that lost its last decision row
/// are reported with what is missing, and the command exits 1.</summary>
public sealed class DecisionsVerifyTests
{
    [Theory]
    [InlineData("last line")]
    [InlineData("half")]
    [InlineData("every line")]
    [InlineData("file")]
    [InlineData("store row")]
    public async Task A_cut_log_is_named_and_exits_1(string cut)
    {
        using var folder = new TempFolder();
        var services = CliRunner.Services(Synthetic());
        Assert.Equal(0, (await CliRunner.RunAsync(services, "init", folder.Path)).Exit);
        Directory.CreateDirectory(Path.Combine(folder.Path, "jobs", "orders_daily"));
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "jobs", "orders_daily", "main.py"), "df = spark.table('raw.t')\n");
        Assert.Equal(0, (await CliRunner.RunAsync(services, "run", "--workspace", folder.Path)).Exit);
        var (intactExit, intact) = await CliRunner.RunAsync(services, "decisions", "-w", folder.Path, "--verify");
        Assert.Equal(0, intactExit);
        var log = Path.Combine(folder.Path, ".modernize", "decisions.jsonl");
        var lines = await File.ReadAllLinesAsync(log);
        var total = lines.Length;
        Assert.Contains($"decisions.jsonl: intact, {total} entries", intact, StringComparison.Ordinal);

        string expected;
        switch (cut)
        {
            case "last line":
                await File.WriteAllLinesAsync(log, lines[..^1]);
                expected = $"decisions.jsonl ends at seq {total - 1} but the store holds {total}: seq {total} is missing from the file";
                break;
            case "half":
                await File.WriteAllLinesAsync(log, lines[..(total / 2)]);
                expected = $"decisions.jsonl ends at seq {total / 2} but the store holds {total}: seqs {(total / 2) + 1}-{total}";
                break;
            case "every line":
                await File.WriteAllTextAsync(log, string.Empty);
                expected = $"decisions.jsonl holds no entry but the store holds {total}";
                break;
            case "file":
                File.Delete(log);
                expected = $"decisions.jsonl holds no entry but the store holds {total}";
                break;
            default:
                await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder.Path, ".modernize", "state.db")};Pooling=False"))
                {
                    await connection.OpenAsync();
                    await using var delete = new SqliteCommand("DELETE FROM decisions WHERE seq = (SELECT max(seq) FROM decisions)", connection);
                    Assert.Equal(1, await delete.ExecuteNonQueryAsync());
                }

                expected = $"the store's decision table ends at seq {total - 1} but chain_head says {total}: seq {total} is missing from the store";
                break;
        }

        var (exit, output) = await CliRunner.RunAsync(services, "decisions", "-w", folder.Path, "--verify");

        Assert.Equal(1, exit);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    private static StageWorkRegistry Synthetic()
    {
        var registry = new StageWorkRegistry();
        foreach (var role in RoleCatalog.All.Where(r => r.Role != RoleId.Supervisor))
        {
            registry.Add(role.Role, _ => new SyntheticStage(role));
        }

        return registry;
    }
}
