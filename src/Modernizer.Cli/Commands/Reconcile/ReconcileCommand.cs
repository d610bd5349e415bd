using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Reconcile;

/// <summary><c>modernize reconcile --baseline DIR --candidate DIR [--key a,b] [--json FILE] [--html FILE]</c>
/// (docs/workspace.md standalone command, R4.4): exit 0 match, 1 mismatch, 2 error.</summary>
internal sealed class ReconcileCommand : AsyncCommand<ReconcileCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--baseline <TABLE>")]
        [Description("The legacy output: a Delta table folder, a Parquet folder or file, or a CSV file.")]
        public string? Baseline { get; init; }

        [CommandOption("--candidate <TABLE>")]
        [Description("The rewrite's output, in any of the same forms.")]
        public string? Candidate { get; init; }

        [CommandOption("--key <COLUMNS>")]
        [Description("Key columns, comma-separated. Without it a key is inferred (unique and non-null on both sides), else rows are matched as a multiset.")]
        public string? Key { get; init; }

        [CommandOption("--keyless")]
        [Description("Match whole rows as a multiset (copies counted) even when a key could be inferred.")]
        public bool Keyless { get; init; }

        [CommandOption("--baseline-version <N>")]
        [Description("Read the baseline Delta table at this version.")]
        public long? BaselineVersion { get; init; }

        [CommandOption("--candidate-version <N>")]
        [Description("Read the candidate Delta table at this version.")]
        public long? CandidateVersion { get; init; }

        [CommandOption("--json <FILE>")]
        [Description("Write reconciliation.json here.")]
        public string? Json { get; init; }

        [CommandOption("--html <FILE>")]
        [Description("Write the HTML report here.")]
        public string? Html { get; init; }

        [CommandOption("--diff <FILE>")]
        [Description("Write every non-matching row to this Parquet file.")]
        public string? Diff { get; init; }

        [CommandOption("--samples <N>")]
        [Description("Sample rows per class in the report (default 20).")]
        public int Samples { get; init; } = 20;

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Baseline) || string.IsNullOrWhiteSpace(Candidate))
            {
                return ValidationResult.Error("Both --baseline and --candidate are required.");
            }

            return Samples < 0 ? ValidationResult.Error("--samples must be >= 0.") : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        var key = (settings.Key ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToImmutableArray();
        var options = ReconcileOptions.Default with
        {
            Keyless = settings.Keyless,
            SampleLimit = settings.Samples,
            DiffPath = settings.Diff is null ? null : Path.GetFullPath(settings.Diff),
        };
        var request = new ReconcileRequest(
            new TableRef(settings.Baseline!, Version: settings.BaselineVersion),
            new TableRef(settings.Candidate!, Version: settings.CandidateVersion),
            key,
            options);

        // The sandbox reads only the two tables and writes only the diff's folder.
        var roots = new[] { settings.Baseline!, settings.Candidate! }.Select(RootOf)
            .Concat(options.DiffPath is null ? [] : [Path.GetDirectoryName(options.DiffPath)!])
            .ToArray();
        if (options.DiffPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(options.DiffPath)!);
        }

        ReconciliationVerdict verdict;
        await using (var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(roots), cancellationToken))
        {
            verdict = await new Reconciler(engine).ReconcileAsync(request, cancellationToken);
        }

        var routing = ReconciliationRouting.Route(verdict, RoutingPolicy.Default);
        if (settings.Json is not null)
        {
            await ReconciliationReportWriter.WriteJsonAsync(settings.Json, verdict, routing, cancellationToken);
        }

        if (settings.Html is not null)
        {
            await ReconciliationReportWriter.WriteHtmlAsync(settings.Html, verdict, routing, cancellationToken);
        }

        Print(console, verdict);
        return verdict.Status switch
        {
            ReconciliationStatus.Match => 0,
            ReconciliationStatus.Mismatch => 1,
            _ => 2,
        };
    }

    private static string RootOf(string table)
    {
        var full = Path.GetFullPath(table);
        return File.Exists(full) ? Path.GetDirectoryName(full)! : full;
    }

    private static void Print(IAnsiConsole console, ReconciliationVerdict v)
    {
        if (v.Status == ReconciliationStatus.Error)
        {
            console.MarkupLine("[red]error:[/] " + Markup.Escape(v.Error ?? "unknown error"));
            return;
        }

        var r = v.Rows;
        var status = v.Status == ReconciliationStatus.Match ? "[green]match[/]" : "[red]mismatch[/]";
        console.MarkupLine($"{status} {Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"match rate {v.MatchRate:0.######} ({v.Mode?.ToString().ToLowerInvariant()}, key {(v.Key.IsEmpty ? "none" : string.Join(",", v.Key))})"))}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows: baseline {r.Baseline}, candidate {r.Candidate}, matched {r.Matched}, changed {r.Changed}, missing_in_candidate {r.MissingInCandidate}, extra_in_candidate {r.ExtraInCandidate}, duplicate_keys {r.DuplicateKeys}"));
        // Plain aligned lines rather than a rendered table: the summary prints in a few
        // milliseconds, which matters to a command timed as a whole.
        string[] header = ["column", "mismatches", "match rate", "baseline type", "candidate type"];
        var rows = v.Columns.Where(c => c.Mismatches != 0)
            .Select(c => new[]
            {
                c.Name, c.Mismatches?.ToString(CultureInfo.InvariantCulture) ?? "-", c.MatchRate?.ToString("0.######", CultureInfo.InvariantCulture) ?? "-",
                c.BaselineType ?? "-", c.CandidateType ?? "-",
            })
            .ToList();
        if (rows.Count > 0)
        {
            var widths = header.Select((h, i) => rows.Max(r => r[i].Length) is var w && w > h.Length ? w : h.Length).ToArray();
            foreach (var line in rows.Prepend(header))
            {
                console.WriteLine(string.Join("  ", line.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
            }
        }

        if (v.SchemaDiff is { } s && (s.ChangesColumns || !s.TypeDifferences.IsEmpty || s.ColumnOrderDiffers))
        {
            console.WriteLine($"schema: missing [{string.Join(", ", s.MissingInCandidate)}], extra [{string.Join(", ", s.ExtraInCandidate)}], types [{string.Join("; ", s.TypeDifferences.Select(t => $"{t.Name}: {t.Baseline} -> {t.Candidate}"))}], order {(s.ColumnOrderDiffers ? "differs" : "same")}");
        }

        foreach (var note in v.Notes)
        {
            console.WriteLine("note: " + note);
        }
    }
}
