using System.Globalization;
using System.Text.Json;
using Modernizer.Code.Analysis;
using Modernizer.Domain;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Analyze;

/// <summary><c>modernize analyze &lt;file-or-dir&gt; [--json FILE]</c>: code analysis of legacy
/// code without a workspace (docs/workspace.md). Exit 0 when nothing was found, 1 when anti-patterns,
/// defects or syntax problems were found, 2 on error.</summary>
internal sealed class AnalyzeCommand : AsyncCommand<AnalyzeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AnalyzeSettings settings, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        IReadOnlyList<JobSource> jobs;
        try
        {
            jobs = JobAnalyzer.Discover(settings.Path);
        }
        catch (FileNotFoundException error)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            return 2;
        }

        if (jobs.Count == 0)
        {
            console.MarkupLineInterpolated($"[red]error:[/] no .py, .sql or .ipynb files under '{settings.Path}'");
            return 2;
        }

        var analyzer = new JobAnalyzer(AnalyzerOptions.Default with { PythonExecutable = settings.Python });
        System.Collections.Immutable.ImmutableArray<JobAnalysis> results;
        try
        {
            results = await analyzer.AnalyzeManyAsync(jobs, cancellationToken);
        }
        catch (InvalidOperationException error)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            return 2;
        }

        foreach (var analysis in results)
        {
            Print(console, analysis);
        }

        if (settings.Json is { } json)
        {
            object document = results.Length == 1
                ? AnalysisWriter.ToDocument(results[0])
                : new { Jobs = results.Select(AnalysisWriter.ToDocument).ToArray() };
            await AtomicFile.WriteAllTextAsync(json, JsonSerializer.Serialize(document, JsonDefaults.Artifact), cancellationToken);
        }

        if (settings.Out is { } output)
        {
            foreach (var analysis in results)
            {
                await AnalysisWriter.WriteAsync(analysis, WorkspacePaths.Under(output, WorkspacePaths.JobFolder(new JobId(analysis.JobId))), DateTimeOffset.UtcNow, cancellationToken);
            }
        }

        return results.Any(r => !r.AntiPatterns.IsEmpty || !r.SuspectedDefects.IsEmpty || !r.Problems.IsEmpty) ? 1 : 0;
    }

    private static void Print(IAnsiConsole console, JobAnalysis analysis)
    {
        console.MarkupLineInterpolated($"[bold]{analysis.JobId}[/]  sources: {string.Join(", ", analysis.Sources)}  targets: {string.Join(", ", analysis.Targets)}");
        if (analysis.AntiPatterns.Length + analysis.SuspectedDefects.Length + analysis.Problems.Length == 0)
        {
            console.WriteLine("  no findings");
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("kind", "id", "where", "finding");
        foreach (var finding in analysis.AntiPatterns)
        {
            table.AddRow("anti-pattern", finding.RuleId, Markup.Escape($"{finding.File}:{finding.Line}"), Markup.Escape(finding.Message));
        }

        foreach (var defect in analysis.SuspectedDefects)
        {
            table.AddRow("defect", defect.Kind, Markup.Escape($"{defect.File}:{defect.Line}"), Markup.Escape(defect.Description));
        }

        foreach (var problem in analysis.Problems)
        {
            table.AddRow("problem", "-", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{problem.File}:{problem.Line}:{problem.Column}")), Markup.Escape(problem.Message));
        }

        console.Write(table);
    }
}
