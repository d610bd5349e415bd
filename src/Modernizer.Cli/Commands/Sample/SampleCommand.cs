using System.ComponentModel;
using System.Globalization;
using Modernizer.Samples;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Sample;

/// <summary><c>modernize sample &lt;dir&gt;</c>: writes the retail sample workspace (docs/workspace.md,
/// docs/sample.md); with <c>--jobs</c>/<c>--days</c> a portfolio of that size for benchmarks.</summary>
internal sealed class SampleCommand : AsyncCommand<SampleCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<dir>")]
        [Description("Folder to write the workspace into (empty, or a previous sample workspace).")]
        public string Directory { get; init; } = string.Empty;

        [CommandOption("--scale <N>")]
        [Description("Multiply the raw lake's row counts (default 1: a few MB).")]
        [DefaultValue(1)]
        public int Scale { get; init; } = 1;

        [CommandOption("--jobs <N>")]
        [Description("Total Lakeflow jobs in the catalog (default 333).")]
        public int? Jobs { get; init; }

        [CommandOption("--days <N>")]
        [Description("Days of run history ending 2026-10-31.")]
        [DefaultValue(365)]
        public int Days { get; init; } = 365;

        [CommandOption("--seed <N>")]
        [Description("Seed of every generator.")]
        [DefaultValue(42)]
        public int Seed { get; init; } = 42;

        [CommandOption("--code-share <FRACTION>")]
        [Description("Share of catalog-only jobs that get code templated from the 12 (default 0, or 0.05 with --jobs).")]
        public double? CodeShare { get; init; }

        [CommandOption("--no-lake")]
        [Description("Skip the raw and curated lake (catalog, finops and code only).")]
        public bool NoLake { get; init; }

        [CommandOption("--python <PATH>")]
        [Description("Python interpreter for the reference programs.")]
        [DefaultValue("python3")]
        public string Python { get; init; } = "python3";

        public SampleOptions ToOptions() => new()
        {
            Scale = Scale,
            Jobs = Jobs,
            Days = Days,
            Seed = Seed,
            CodeShare = CodeShare,
            IncludeLake = !NoLake,
            Python = Python,
        };
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        var problem = settings.ToOptions().Validate();
        if (problem is not null)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(problem)}");
            return 2;
        }

        var interactive = console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        SampleSummary summary;
        try
        {
            if (interactive)
            {
                summary = await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask("sample", maxValue: 1);
                        var progress = new Progress<SampleProgress>(p =>
                        {
                            task.MaxValue = p.Total;
                            task.Value = p.Completed;
                            task.Description = Markup.Escape(p.Step);
                        });
                        return await SampleWorkspaceWriter.WriteAsync(settings.Directory, settings.ToOptions(), progress, cancellationToken);
                    });
            }
            else
            {
                var progress = new SynchronousProgress(p => console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{p.Completed}/{p.Total}] {p.Step}")));
                summary = await SampleWorkspaceWriter.WriteAsync(settings.Directory, settings.ToOptions(), progress, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or Samples.Legacy.LegacyRunException or DuckDB.NET.Data.DuckDBException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 2;
        }

        var table = new Table().AddColumns("area", "files", "MB", "contents");
        foreach (var area in summary.Areas)
        {
            table.AddRow(
                Markup.Escape(area.Name),
                area.Files.ToString(CultureInfo.InvariantCulture),
                (area.Bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture),
                Markup.Escape(area.Detail));
        }

        console.Write(table);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"wrote [green]{Markup.Escape(summary.Directory)}[/] in {summary.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    /// <summary>Reports on the caller's thread, so plain output keeps its order.</summary>
    private sealed class SynchronousProgress(Action<SampleProgress> report) : IProgress<SampleProgress>
    {
        public void Report(SampleProgress value) => report(value);
    }
}
