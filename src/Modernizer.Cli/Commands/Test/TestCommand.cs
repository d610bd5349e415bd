using System.ComponentModel;
using System.Globalization;
using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Modernizer.Domain;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Configuration;
using Modernizer.Specs.Testing.Running;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Test;

/// <summary><c>modernize test --workspace W --job ID [--json FILE]</c> (R4.3, docs/workspace.md): every generated case
/// of the job run against the rewrite files as they are on disk, never regenerating them — locally in DuckDB, or on
/// the configured Databricks SQL warehouse. Prints each case, "N passed, N failed" and the coverage; writes
/// tests/results.json. Exit 0 all pass, 1 a failure, 2 error.</summary>
internal sealed class TestCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<TestCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--job <ID>")]
        [Description("The job whose tests to run (its tests/cases/ and rewrite/ under .modernize/jobs/<job>/).")]
        public string? Job { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Job) ? ValidationResult.Error("--job is required.") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var paths = new WorkspacePaths(Path.GetFullPath(settings.Workspace));
        if (!Directory.Exists(paths.Root))
        {
            throw new CliException($"The workspace folder {paths.Root} does not exist.");
        }

        var configuration = await new SettingsLoader(services.Environment).LoadAsync(paths, cancellationToken);
        var environment = services.Environment;
        TestResults results;
        try
        {
            await using var executors = CaseExecutors.Create(configuration.Engine, name => environment.TryGetValue(name, out var value) ? value : null);
            var progress = new SynchronousProgress(result => Print(result));
            results = await new TestRunner(executors.Executor).RunAsync(paths, new JobId(settings.Job!), progress, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or InvalidOperationException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.Error;
        }

        if (settings.WantsJson)
        {
            await JsonOutput.WriteAsync(console, settings.JsonFile, results, cancellationToken);
        }

        if (!settings.WantsJson || settings.JsonFile is not null)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{results.Passed} passed, {results.Failed} failed")
                + (results.ExpectedUnknown > 0 ? string.Create(CultureInfo.InvariantCulture, $", {results.ExpectedUnknown} expected unknown") : string.Empty)
                + (results.Errors > 0 ? string.Create(CultureInfo.InvariantCulture, $", {results.Errors} errors") : string.Empty)
                + (results.Inactive.IsEmpty ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({results.Inactive.Length} inactive alternatives not run)")));
            if (results.Coverage is { } coverage)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"coverage: {coverage.Reached} of {coverage.Applicable} reachable goals ({coverage.ReachedRate:P0}); {coverage.RequirementsWithTests.Length} requirements and {coverage.DefectsWithTests.Length} suspected defects tested; expected rows known for {coverage.ExpectedKnown} cases, unknown for {coverage.ExpectedUnknown}"));
            }

            console.WriteLine($"results: {Path.Combine(paths.JobOutput(new JobId(settings.Job!)), "tests", TestResults.FileName)} (engine {results.Engine}, rewrite {results.RewriteHash?[..12]})");
        }

        return results.ExitCode;
    }

    private void Print(CaseResult result)
    {
        var label = result.Status switch
        {
            CaseStatus.Passed => "[green]PASS[/]",
            CaseStatus.Failed => "[red]FAIL[/]",
            CaseStatus.ExpectedUnknown => "[yellow]UNKNOWN[/]",
            _ => "[red]ERROR[/]",
        };
        var tags = result.Tags.IsEmpty ? string.Empty : " [" + string.Join(", ", result.Tags) + "]";
        console.MarkupLine($"{label} {Markup.Escape(result.Id + tags)}" + (result.Status == CaseStatus.Passed ? string.Empty : " " + Markup.Escape(result.Message ?? string.Empty)));
    }

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<CaseResult> report) : IProgress<CaseResult>
    {
        public void Report(CaseResult value) => report(value);
    }
}
