using DuckDB.NET.Data;
using Modernizer.Lake.Engines;

namespace Modernizer.Lake.Tests.Engines;

/// <summary>Issue item 2: generated SQL cannot read or write outside the workspace.</summary>
public sealed class DuckDbSandboxTests : IDisposable
{
    private readonly TempDirectory _workspace = new();
    private readonly TempDirectory _outside = new();

    [Fact]
    public async Task Reads_and_writes_parquet_inside_the_workspace()
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(_workspace.Path), CancellationToken.None);
        var file = _workspace.Combine("t.parquet");
        await engine.ExecuteAsync($"COPY (SELECT range AS id FROM range(10)) TO {DuckDbEngine.Literal(file)} (FORMAT parquet)", null, CancellationToken.None);
        var result = await engine.QueryAsync($"SELECT count(*) FROM read_parquet({DuckDbEngine.Literal(file)})", null, CancellationToken.None);
        Assert.Equal(10L, Convert.ToInt64(result.Scalar, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')")]
    [InlineData("SELECT * FROM read_text('/etc/passwd')")]
    [InlineData("SELECT * FROM glob('/etc/*')")]
    [InlineData("SELECT * FROM read_parquet('https://example.com/x.parquet')")]
    public async Task Generated_sql_cannot_read_outside_the_workspace(string sql)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(_workspace.Path), CancellationToken.None);
        var error = await Assert.ThrowsAsync<DuckDBException>(() => engine.QueryAsync(sql, null, CancellationToken.None));
        Assert.Contains("Permission", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_dot_dot_path_cannot_escape_the_workspace()
    {
        File.WriteAllText(_outside.Combine("secret.csv"), "a\n1\n");
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(_workspace.Path), CancellationToken.None);
        var escape = Path.Combine(_workspace.Path, "..", Path.GetFileName(_outside.Path), "secret.csv");
        await Assert.ThrowsAsync<DuckDBException>(() => engine.QueryAsync($"SELECT * FROM read_csv({DuckDbEngine.Literal(escape)})", null, CancellationToken.None));
    }

    [Fact]
    public async Task Generated_sql_cannot_write_outside_the_workspace()
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(_workspace.Path), CancellationToken.None);
        var target = _outside.Combine("out.csv");
        await Assert.ThrowsAsync<DuckDBException>(() => engine.ExecuteAsync($"COPY (SELECT 1) TO {DuckDbEngine.Literal(target)}", null, CancellationToken.None));
        await Assert.ThrowsAsync<DuckDBException>(() => engine.ExecuteAsync($"ATTACH {DuckDbEngine.Literal(_outside.Combine("x.db"))}", null, CancellationToken.None));
        Assert.False(File.Exists(target));
    }

    [Theory]
    [InlineData("SET enable_external_access = true")]
    [InlineData("RESET lock_configuration")]
    [InlineData("SET allowed_directories = ['/']")]
    [InlineData("SET memory_limit = '100GB'")]
    [InlineData("INSTALL httpfs")]
    [InlineData("LOAD httpfs")]
    public async Task Configuration_is_locked_and_extensions_cannot_be_installed(string sql)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(_workspace.Path), CancellationToken.None);
        await Assert.ThrowsAsync<DuckDBException>(() => engine.ExecuteAsync(sql, null, CancellationToken.None));
    }

    [Fact]
    public async Task The_closed_sandbox_reads_no_file_at_all()
    {
        var file = _workspace.Combine("a.csv");
        File.WriteAllText(file, "a\n1\n");
        await using var engine = await DuckDbEngine.OpenAsync(CancellationToken.None);
        await Assert.ThrowsAsync<DuckDBException>(() => engine.QueryAsync($"SELECT * FROM read_csv({DuckDbEngine.Literal(file)})", null, CancellationToken.None));
    }

    [Fact]
    public async Task Memory_and_threads_are_bounded()
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(_workspace.Path) with { MemoryLimit = "256MB", Threads = 1 }, CancellationToken.None);
        var result = await engine.QueryAsync("SELECT current_setting('threads'), current_setting('memory_limit')", null, CancellationToken.None);
        Assert.Equal(1L, Convert.ToInt64(result.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("MiB", (string)result.Rows[0][1]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_query_is_cancelled_by_its_token()
    {
        await using var engine = await DuckDbEngine.OpenAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            engine.QueryAsync("SELECT sum(a.range * b.range) FROM range(100000000) a, range(1000) b", null, cancellation.Token));
        var after = await engine.QueryAsync("SELECT 42", null, CancellationToken.None);
        Assert.Equal(42, Convert.ToInt32(after.Scalar, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_workspace_engine_spills_inside_the_workspace_and_cleans_up()
    {
        string temp;
        await using (var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForWorkspace(_workspace.Path), CancellationToken.None))
        {
            temp = engine.Sandbox.TempDirectory!;
            Assert.StartsWith(Path.Combine(_workspace.Path, ".modernize", "tmp"), temp, StringComparison.Ordinal);
            var result = await engine.QueryAsync("SELECT current_setting('temp_directory')", null, CancellationToken.None);
            Assert.Equal(temp, result.Scalar);
            Assert.True(Directory.Exists(temp));
        }

        Assert.False(Directory.Exists(temp));
    }

    [Fact]
    public async Task Values_are_bound_as_parameters_not_spliced()
    {
        await using var engine = await DuckDbEngine.OpenAsync(CancellationToken.None);
        var hostile = "x'); DROP TABLE t; --";
        var result = await engine.QueryAsync("SELECT $v AS v", [new QueryParameter("v", hostile)], CancellationToken.None);
        Assert.Equal(hostile, result.Scalar);
    }

    public void Dispose()
    {
        _workspace.Dispose();
        _outside.Dispose();
    }
}
