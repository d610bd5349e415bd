using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modernizer.Code.Python;

namespace Modernizer.Code.Tests.Python;

/// <summary>Every node kind CPython's parser can produce goes through the bridge and comes back
/// as CPython built it: the cases are generated from <c>ast</c>'s own grammar (ast_cases.py), so
/// a new Python version's new kinds are tested without anyone listing them.</summary>
public sealed class BridgeRoundTripTests
{
    private static readonly Lazy<JsonDocument> Cases = new(Generate);

    [Fact]
    public void Every_node_kind_of_the_running_python_has_a_generated_case()
    {
        var root = Cases.Value.RootElement;
        var failed = root.GetProperty("failed").EnumerateObject().Select(p => $"{p.Name}: {p.Value.GetString()}").ToArray();
        Assert.True(failed.Length == 0, "kinds without a case: " + string.Join("; ", failed));
        Assert.True(root.GetProperty("cases").GetArrayLength() > 90, "too few cases generated");
    }

    [Fact]
    public async Task Every_generated_tree_decodes_to_what_cpython_parsed()
    {
        var cases = Cases.Value.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        var sources = cases.Select((c, i) => new PythonSource($"case{i}_{c.GetProperty("kind").GetString()}.py", c.GetProperty("source").GetString()!)).ToArray();

        var parsed = await new PythonAstBridge(workers: 2).ParseAsync(sources, CancellationToken.None);

        var mismatches = new List<string>();
        for (var i = 0; i < cases.Length; i++)
        {
            var expected = JsonNode.Parse(cases[i].GetProperty("tree").GetRawText())!.ToJsonString();
            var module = parsed[i].Module;
            var actual = module is null ? "error: " + parsed[i].Error : Canonical(module)!.ToJsonString();
            if (expected != actual)
            {
                mismatches.Add($"{sources[i].File} ({sources[i].Text.Trim()}):\n  expected {expected}\n  actual   {actual}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(5)));
    }

    [Fact]
    public async Task Dict_unpacking_and_keyword_only_arguments_keep_their_nulls_in_place()
    {
        var bridge = new PythonAstBridge(workers: 1);

        var dict = (await bridge.ParseAsync(new PythonSource("d.py", "x = {**a, 'k': 1}\n"), CancellationToken.None)).Module!.Nodes("body")[0].Node("value")!;
        var function = (await bridge.ParseAsync(new PythonSource("f.py", "def f(*, a, b=2): pass\n"), CancellationToken.None)).Module!.Nodes("body")[0];

        Assert.Equal([null, "k"], dict.OptionalNodes("keys").Select(k => k?.Const()));
        Assert.Equal(2, dict.Nodes("values").Length);
        var defaults = function.Node("args")!.OptionalNodes("kw_defaults");
        Assert.Null(defaults[0]);
        Assert.Equal(2L, defaults[1]!.Const());
    }

    private static JsonNode? Canonical(object? value) => value switch
    {
        null => null,
        PyNode node => Canonical(node),
        ImmutableArray<PyNode> nodes => nodes.IsEmpty ? null : new JsonArray([.. nodes.Select(n => Canonical(n))]),
        PyNodeList gaps => new JsonArray([.. gaps.Items.Select(n => n is null ? null : Canonical(n))]),
        ImmutableArray<string> strings => strings.IsEmpty ? null : new JsonArray([.. strings.Select(s => (JsonNode)JsonValue.Create(s))]),
        string text => JsonValue.Create(text),
        long number => JsonValue.Create(number),
        _ => throw new InvalidOperationException("unexpected field value " + value.GetType().Name),
    };

    private static JsonObject Canonical(PyNode node)
    {
        var fields = new JsonObject();
        foreach (var (name, isConstant, value) in node.RawFields())
        {
            fields[name] = isConstant ? Constant(value) : Canonical(value);
        }

        return new JsonObject
        {
            ["k"] = node.Kind,
            ["p"] = node.Span.IsKnown ? new JsonArray(node.Span.Line, node.Span.Column, node.Span.EndLine, node.Span.EndColumn) : null,
            ["f"] = fields,
        };
    }

    /// <summary>The bridge's constant encoding: JSON for what JSON holds, [type, repr] for the rest.</summary>
    private static JsonNode? Constant(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        long number => JsonValue.Create(number),
        double real when double.IsPositiveInfinity(real) => new JsonArray("float", "inf"),
        double real when double.IsNegativeInfinity(real) => new JsonArray("float", "-inf"),
        double real when double.IsNaN(real) => new JsonArray("float", "nan"),
        double real when real == Math.Floor(real) => new JsonArray("float", FloatRepr(real)),
        double real => JsonValue.Create(real),
        PyOtherConstant other => new JsonArray(other.TypeName, other.Repr),
        _ => throw new InvalidOperationException("unexpected constant " + value.GetType().Name),
    };

    private static string FloatRepr(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
        return text.Contains('e', StringComparison.Ordinal) || text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static JsonDocument Generate()
    {
        var folder = Path.Combine(Path.GetTempPath(), "modernizer-ast-cases-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var bridgeScript = Path.Combine(folder, "ast_bridge.py");
            using (var stream = typeof(PythonAstBridge).Assembly.GetManifestResourceStream("Modernizer.Code.Python.ast_bridge.py")!)
            using (var file = File.Create(bridgeScript))
            {
                stream.CopyTo(file);
            }

            var generator = Path.Combine(AppContext.BaseDirectory, "Python", "ast_cases.py");
            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-I");
            start.ArgumentList.Add(generator);
            start.ArgumentList.Add(bridgeScript);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "ast_cases.py failed: " + stderr.Result);
            return JsonDocument.Parse(output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
