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
/// code without a workspace (docs/workspace.md). The exit code is a set of bits: 0 nothing found and
/// every file understood, 1 findings (anti-patterns or suspected defects), 4 some file not
/// understood (5: both), 2 an error of the tool or its arguments (docs/cli.md).</summary>
internal sealed class AnalyzeCommand(IAnsiConsole console) : AsyncCommand<AnalyzeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AnalyzeSettings settings, CancellationToken cancellationToken)
    {
        JobDiscovery discovery;
        try
        {
            discovery = JobDiscovery.Discover(settings.Path);
        }
        catch (FileNotFoundException error)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            return 2;
        }

        if (discovery.Jobs.IsEmpty)
        {
            console.MarkupLineInterpolated($"[red]error:[/] no .py, .sql or .ipynb files in '{settings.Path}' or its subfolders");
            return 2;
        }

        var plain = Console.IsOutputRedirected || !console.Profile.Capabilities.Ansi;
        var analyzer = new JobAnalyzer(AnalyzerOptions.Default with { PythonExecutable = settings.Python });
        System.Collections.Immutable.ImmutableArray<JobAnalysis> results;
        try
        {
            results = await analyzer.AnalyzeManyAsync(discovery.Jobs, cancellationToken);
        }
        catch (InvalidOperationException error)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            return 2;
        }

        var report = AnalysisReport.Of(settings.Path, discovery, results);
        var output = console.Profile.Out.Writer;
        output.WriteLine($"analysing {settings.Path} as {report.Mode}");
        foreach (var note in report.Notes)
        {
            output.WriteLine("note: " + note);
        }

        foreach (var analysis in results)
        {
            if (plain)
            {
                PrintPlain(output, analysis);
            }
            else
            {
                Print(console, analysis);
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.Totals.Jobs} job(s), {report.Totals.Files} file(s): {report.Totals.AntiPatterns} anti-pattern(s), {report.Totals.SuspectedDefects} suspected defect(s), {report.Totals.NotUnderstood} file(s) not understood — {report.Outcome} (exit {report.ExitCode})"));

        if (settings.Json is { } json)
        {
            var text = JsonSerializer.Serialize(report, JsonDefaults.Artifact);
            if (json == "-")
            {
                output.WriteLine(text);
            }
            else
            {
                await AtomicFile.WriteAllTextAsync(json, text, cancellationToken);
            }
        }

        if (settings.Out is { } folder)
        {
            foreach (var analysis in results)
            {
                await AnalysisWriter.WriteAsync(analysis, WorkspacePaths.Under(folder, WorkspacePaths.JobFolder(new JobId(analysis.JobId))), DateTimeOffset.UtcNow, cancellationToken);
            }
        }

        return report.ExitCode;
    }

    /// <summary>One line per finding, tab-free and unwrapped: what a file, a pipe or grep wants.</summary>
    private static void PrintPlain(TextWriter output, JobAnalysis analysis)
    {
        output.WriteLine($"{analysis.JobId}  sources: {Join(analysis.Sources)}  targets: {Join(analysis.Targets)}");
        foreach (var finding in analysis.AntiPatterns)
        {
            output.WriteLine($"  {AnalysisWriter.Where(finding.File, finding.Line, finding)}: anti-pattern {finding.RuleId}: {finding.Message}");
        }

        foreach (var defect in analysis.SuspectedDefects)
        {
            output.WriteLine($"  {AnalysisWriter.Where(defect.File, defect.Line, defect)}: defect {defect.Kind}: {defect.Description}");
        }

        foreach (var problem in analysis.Problems)
        {
            output.WriteLine($"  {AnalysisWriter.Where(problem.File, problem.Line, problem)}: problem: {problem.Message}");
        }

        foreach (var file in analysis.NotUnderstood)
        {
            output.WriteLine($"  {file.File}: not understood ({file.Reason.Replace('_', ' ')}): {file.Detail}");
        }

        if (analysis.AntiPatterns.Length + analysis.SuspectedDefects.Length + analysis.Problems.Length + analysis.NotUnderstood.Length == 0)
        {
            output.WriteLine("  no findings");
        }
    }

    private static void Print(IAnsiConsole console, JobAnalysis analysis)
    {
        console.MarkupLineInterpolated($"[bold]{analysis.JobId}[/]  sources: {Join(analysis.Sources)}  targets: {Join(analysis.Targets)}");
        if (analysis.AntiPatterns.Length + analysis.SuspectedDefects.Length + analysis.Problems.Length + analysis.NotUnderstood.Length == 0)
        {
            console.WriteLine("  no findings");
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("kind", "id", "where", "finding");
        foreach (var finding in analysis.AntiPatterns)
        {
            table.AddRow("anti-pattern", finding.RuleId, Markup.Escape(AnalysisWriter.Where(finding.File, finding.Line, finding)), Markup.Escape(finding.Message));
        }

        foreach (var defect in analysis.SuspectedDefects)
        {
            table.AddRow("defect", defect.Kind, Markup.Escape(AnalysisWriter.Where(defect.File, defect.Line, defect)), Markup.Escape(defect.Description));
        }

        foreach (var problem in analysis.Problems)
        {
            table.AddRow("problem", "-", Markup.Escape(AnalysisWriter.Where(problem.File, problem.Line, problem)), Markup.Escape(problem.Message));
        }

        foreach (var file in analysis.NotUnderstood)
        {
            table.AddRow("not understood", file.Reason, Markup.Escape(file.File), Markup.Escape(file.Detail));
        }

        console.Write(table);
    }

    private static string Join(IEnumerable<string> items) => items.Any() ? string.Join(", ", items) : "(none)";
}
