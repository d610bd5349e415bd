using Modernizer.Cli.Composition;

namespace Modernizer.Cli.Tests;

/// <summary>Bad input at the command line gets one clear error naming what is wrong and where, exit 2:
/// a broken or hostile modernize.yaml, a bad environment override, a dangerous model endpoint, an
/// option value of the wrong kind. And <c>modernize --version</c> says which build this is.</summary>
public sealed class ClearErrorTests
{
    [Fact]
    public async Task Version_prints_the_informational_version_of_the_build()
    {
        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "--version");

        Assert.Equal(0, exit);
        Assert.Equal(ModernizeApp.Version, output.Trim());
        Assert.StartsWith("0.1.0", ModernizeApp.Version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("profile", "--version", "abc", "a whole number")]
    [InlineData("run", "--phase", "two", "a whole number")]
    [InlineData("reconcile", "--samples", "many", "a whole number")]
    public async Task An_option_value_of_the_wrong_kind_names_the_option_and_what_it_expects(string command, string option, string value, string expected)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path);
        string[] args = command switch
        {
            "profile" => ["profile", folder.Path, option, value],
            "run" => ["run", "--workspace", folder.Path, option, value],
            _ => ["reconcile", "--baseline", folder.Path, "--candidate", folder.Path, option, value],
        };

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), args);

        Assert.Equal(2, exit);
        Assert.Contains($"{option} expects {expected}; '{value}' is not one", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("selection:\n  top_n: 5\n  pilot: a: b\n", "modernize.yaml:3:", "not valid YAML")]
    [InlineData("phases:\n  enabled: [1,\n2]\n", "modernize.yaml:3:", "indentation")]
    [InlineData("a: &x [*x]\n", "modernize.yaml:1:", "contains an alias to itself")]
    [InlineData("llm:\n  provider: anthropic\n  model: m\n  endpoint: ftp://models.example.com/\n", "modernize.yaml:4:", "ftp://")]
    public async Task A_bad_configuration_file_is_one_clear_error_with_file_and_place(string yaml, string place, string what)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "lake"));
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "modernize.yaml"), yaml);

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "status", "--workspace", folder.Path);

        Assert.Equal(2, exit);
        Assert.Contains(place, output, StringComparison.Ordinal);
        Assert.Contains(what, output, StringComparison.Ordinal);
        Assert.DoesNotContain("current state of the object", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_billion_laughs_configuration_fails_fast_naming_the_file()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "lake"));
        var yaml = "a: &a [x,x,x,x,x,x,x,x,x]\n" + string.Concat(Enumerable.Range(0, 8).Select(i =>
            $"{(char)('b' + i)}: &{(char)('b' + i)} [{string.Join(",", Enumerable.Repeat("*" + (char)('a' + i), 9))}]\n"));
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "modernize.yaml"), yaml);

        var (exit, output) = await CliRunner.RunAsync(CliRunner.Services(), "status", "--workspace", folder.Path);

        Assert.Equal(2, exit);
        Assert.Contains(Path.Combine(folder.Path, "modernize.yaml"), output, StringComparison.Ordinal);
        Assert.Contains("aliases expand to more than", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_environment_override_error_names_the_variable_and_no_line()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "lake"));
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "modernize.yaml"), "selection:\n  top_n: 5\n");
        var services = CliRunner.Services() with { Environment = new Dictionary<string, string> { ["MODERNIZE__SELECTION__TOP_N"] = "abc" } };

        var (exit, output) = await CliRunner.RunAsync(services, "status", "--workspace", folder.Path);

        Assert.Equal(2, exit);
        Assert.Contains("environment variable MODERNIZE__SELECTION__TOP_N: selection.top_n: expected a whole number", output, StringComparison.Ordinal);
        Assert.DoesNotContain("MODERNIZE__SELECTION__TOP_N:1", output, StringComparison.Ordinal);
    }
}
