using Modernizer.Code.Python;

namespace Modernizer.Code.Tests.Python;

public sealed class PythonAstBridgeTests
{
    private readonly PythonAstBridge _bridge = new(workers: 2);

    [Fact]
    public async Task Parses_a_module_into_nodes_with_fields_by_name()
    {
        var result = await _bridge.ParseAsync(new PythonSource("a.py", "df = spark.table('raw.orders')\n"), CancellationToken.None);

        var assign = Assert.Single(result.Module!.Nodes("body"));
        Assert.Equal("Assign", assign.Kind);
        var call = assign.Node("value")!;
        Assert.Equal("table", call.Node("func")!.Str("attr"));
        Assert.Equal("raw.orders", call.Nodes("args")[0].Const());
        Assert.Equal(new PySpan(1, 5, 1, 30), call.Span);
    }

    [Fact]
    public async Task Columns_are_characters_not_utf8_bytes()
    {
        var result = await _bridge.ParseAsync(new PythonSource("u.py", "x = 'ééé' + name\n"), CancellationToken.None);

        var binop = result.Module!.Nodes("body")[0].Node("value")!;
        var name = binop.Node("right")!;
        Assert.Equal("name", name.Str("id"));
        Assert.Equal(12, name.Span.Column);
    }

    [Fact]
    public async Task A_syntax_error_names_file_line_and_column_and_the_batch_goes_on()
    {
        var sources = new[]
        {
            new PythonSource("good1.py", "a = 1\n"),
            new PythonSource("bad.py", "a = 1\ndef broken(:\n    pass\n"),
            new PythonSource("good2.py", "b = 2\n"),
        };

        var results = await _bridge.ParseAsync(sources, CancellationToken.None);

        Assert.True(results[0].Succeeded);
        Assert.True(results[2].Succeeded);
        var error = results[1].Error!;
        Assert.Equal("bad.py", error.File);
        Assert.Equal(2, error.Line);
        Assert.True(error.Column > 1);
        Assert.Contains("bad.py:2:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Integers_and_floats_keep_their_python_types()
    {
        var result = await _bridge.ParseAsync(new PythonSource("n.py", "x = (1, 1.0, 2.5, 10**30)\n"), CancellationToken.None);

        var items = result.Module!.Nodes("body")[0].Node("value")!.Nodes("elts");
        Assert.IsType<long>(items[0].Const());
        Assert.IsType<double>(items[1].Const());
        Assert.Equal(2.5, items[2].Const());
    }

    [Fact]
    public async Task Many_files_come_back_in_input_order_across_workers()
    {
        var sources = Enumerable.Range(0, 40).Select(i => new PythonSource($"f{i}.py", $"value_{i} = {i}\n")).ToArray();

        var results = await _bridge.ParseAsync(sources, CancellationToken.None);

        for (var i = 0; i < sources.Length; i++)
        {
            Assert.Equal($"f{i}.py", results[i].File);
            Assert.Equal($"value_{i}", results[i].Module!.Nodes("body")[0].Nodes("targets")[0].Str("id"));
        }
    }
}
