using System.Text.Json;
using Modernizer.Lake.Engines;

namespace Modernizer.Cli.Tests.Reconcile;

/// <summary>docs/workspace.md: <c>modernize reconcile</c> works standalone; exit 0 match, 1 mismatch, 2 error.</summary>
public sealed class ReconcileCommandTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rc-cli-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(_root), CancellationToken.None);
        foreach (var (name, select) in new[]
        {
            ("b", "SELECT i AS id, 'v' || i AS s FROM range(50) t(i)"),
            ("same", "SELECT i AS id, 'v' || i AS s FROM range(50) t(i)"),
            ("c", "SELECT i AS id, CASE WHEN i = 9 THEN 'x' ELSE 'v' || i END AS s FROM range(50) t(i)"),
        })
        {
            Directory.CreateDirectory(Path.Combine(_root, name));
            await engine.ExecuteAsync("COPY (" + select + ") TO $p (FORMAT parquet)", [new QueryParameter("p", Path.Combine(_root, name, "part-0.parquet"))], CancellationToken.None);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Identical_tables_exit_0()
    {
        Assert.Equal(0, await ModernizeApp.RunAsync(["reconcile", "--baseline", Path.Combine(_root, "b"), "--candidate", Path.Combine(_root, "same"), "--key", "id"]));
    }

    [Fact]
    public async Task A_mismatch_exits_1_and_writes_the_reports()
    {
        var json = Path.Combine(_root, "out", "reconciliation.json");
        var html = Path.Combine(_root, "out", "reconciliation.html");
        var diff = Path.Combine(_root, "out", "diff.parquet");
        var code = await ModernizeApp.RunAsync(["reconcile", "--baseline", Path.Combine(_root, "b"), "--candidate", Path.Combine(_root, "c"), "--key", "id", "--json", json, "--html", html, "--diff", diff]);
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("mismatch", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("rows").GetProperty("changed").GetInt64());
        Assert.Contains("<html", await File.ReadAllTextAsync(html), StringComparison.Ordinal);
        Assert.True(File.Exists(diff));
    }

    [Fact]
    public async Task An_unreadable_input_exits_2_and_the_json_says_error()
    {
        var json = Path.Combine(_root, "err.json");
        var code = await ModernizeApp.RunAsync(["reconcile", "--baseline", Path.Combine(_root, "b"), "--candidate", Path.Combine(_root, "missing"), "--json", json]);
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("error", doc.RootElement.GetProperty("status").GetString());
        Assert.Contains("missing", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
