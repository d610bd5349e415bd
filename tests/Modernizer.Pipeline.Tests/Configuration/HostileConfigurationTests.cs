using System.Diagnostics;
using Modernizer.Pipeline.Configuration;

namespace Modernizer.Pipeline.Tests.Configuration;

/// <summary>modernize.yaml is input like any other: a broken file, a self-referencing anchor, a
/// "billion laughs" file, a bad environment override or a dangerous model endpoint each end in one
/// clear error naming the file (or variable), the place and the problem.</summary>
public sealed class HostileConfigurationTests
{
    private static IReadOnlyList<ConfigError> Errors(string yaml, Dictionary<string, string>? environment = null) =>
        new SettingsLoader(environment ?? []).Parse(yaml, "/ws/modernize.yaml", null).Errors;

    [Theory]
    [InlineData("phases: [\n", 2, "did not find expected")]
    [InlineData("selection:\n  top_n: 5\n  pilot: a: b\n", 3, "invalid mapping")]
    [InlineData("selection: {top_n: 5, top_n: 6}\n", 1, "Duplicate key")]
    [InlineData("x: \"unterminated\n", 2, "end of stream")]
    [InlineData("selection:\n\ttop_n: 3\n", 2, "tab")]
    [InlineData("phases:\n  enabled: [1,\n2]\n", 3, "indentation")]
    [InlineData("a: &x b\nc: *y\n", 2, "the alias *y names no anchor")]
    public void Invalid_yaml_names_the_file_line_column_and_what_is_wrong(string yaml, int line, string what)
    {
        var error = Assert.Single(Errors(yaml));

        Assert.Equal("/ws/modernize.yaml", error.Source);
        Assert.True(error.Line == line && error.Column is not null, error.ToString());
        Assert.StartsWith("not valid YAML: ", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains(what, StringComparison.OrdinalIgnoreCase), error.ToString());
        Assert.DoesNotContain("current state of the object", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length > "not valid YAML: ".Length + 10, error.Message);
        Assert.StartsWith($"/ws/modernize.yaml:{line}:{error.Column}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: &x [*x]\n")]
    [InlineData("selection: &s {jobs: *s}\n")]
    [InlineData("a: &x {b: [c, {d: *x}]}\n")]
    public void A_self_referencing_anchor_is_an_error_not_a_crash(string yaml)
    {
        var error = Assert.Single(Errors(yaml));

        Assert.Equal("/ws/modernize.yaml", error.Source);
        Assert.Contains("contains an alias to itself", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void A_billion_laughs_file_fails_fast_naming_the_file()
    {
        // About 300 bytes that expand to 10^9 values when aliases are copied.
        var yaml = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            + string.Concat(Enumerable.Range(0, 8).Select(i =>
            {
                var name = (char)('b' + i);
                var previous = (char)('a' + i);
                return $"{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n";
            }));
        Assert.InRange(yaml.Length, 250, 400);
        var memory = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("/ws/modernize.yaml", error.Source);
        Assert.Contains("aliases expand to more than", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - memory < 64 * 1024 * 1024, "the walk stopped long before expanding the aliases");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Deep_nesting_is_an_error()
    {
        var yaml = "a: " + new string('[', 200) + new string(']', 200) + "\n";
        var error = Assert.Single(Errors(yaml));
        Assert.Contains("nested more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_of_a_normal_size_still_work()
    {
        var (settings, errors) = new SettingsLoader(new Dictionary<string, string>()).Parse(
            "tags:\n  financial_columns: &money [\"*usd\", \"*amount*\"]\n  regulatory_columns: *money\n", "modernize.yaml", null);
        Assert.Empty(errors);
        Assert.Equal(settings.Tags.FinancialColumns.ToArray(), settings.Tags.RegulatoryColumns.ToArray());
    }

    [Fact]
    public void A_second_document_is_reported()
    {
        var error = Assert.Single(Errors("selection:\n  top_n: 3\n---\nselection:\n  top_n: 4\n"));
        Assert.Contains("second YAML document", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
    }

    [Theory]
    [InlineData("MODERNIZE__SELECTION__TOP_N", "abc", "selection.top_n")]
    [InlineData("MODERNIZE__ESCALATION__ACCEPTANCE_THRESHOLD", "0.5", "escalation.acceptance_threshold")]
    [InlineData("MODERNIZE__SELECTION", "3", "selection")]
    [InlineData("MODERNIZE__LLM__ENDPOINT", "ftp://models.example.com", "llm.endpoint")]
    public void An_environment_override_error_names_the_variable_and_no_line(string variable, string value, string key)
    {
        var errors = Errors("selection:\n  top_n: 5\nescalation:\n  reconciliation_escalate_below: 0.95\nllm:\n  provider: none\n",
            new Dictionary<string, string> { [variable] = value });

        var error = Assert.Single(errors);
        Assert.Equal("environment variable " + variable, error.Source);
        Assert.Equal(key, error.Key);
        Assert.Null(error.Line);
        Assert.StartsWith($"environment variable {variable}: {key}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://models.example.com/v1", "ftp://")]
    [InlineData("file:///etc/passwd", "file://")]
    [InlineData("http://models.example.com/v1", "plain http://")]
    [InlineData("not a url", "absolute http(s) URL")]
    [InlineData("https://", "absolute http(s) URL")]
    public void A_model_endpoint_must_be_https_or_loopback_http(string endpoint, string problem)
    {
        var error = Assert.Single(Errors($"llm:\n  provider: anthropic\n  model: m\n  endpoint: \"{endpoint}\"\n"));
        Assert.Equal("llm.endpoint", error.Key);
        Assert.Equal(4, error.Line);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.anthropic.com", false)]
    [InlineData("http://127.0.0.1:8080/v1", false)]
    [InlineData("http://localhost:11434/v1", false)]
    [InlineData("http://[::1]:8080/v1", false)]
    [InlineData("http://models.internal:8080/v1", true)]
    public void Https_loopback_http_and_explicitly_allowed_http_are_accepted(string endpoint, bool allow)
    {
        var yaml = $"llm:\n  provider: openai-compatible\n  model: m\n  endpoint: \"{endpoint}\"\n  allow_plain_http: {(allow ? "true" : "false")}\n";
        var (settings, errors) = new SettingsLoader(new Dictionary<string, string>()).Parse(yaml, "modernize.yaml", null);
        Assert.Empty(errors);
        Assert.Equal(allow, settings.Llm.AllowPlainHttp);
    }
}
