using System.ComponentModel;
using System.Globalization;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Profiling;
using Modernizer.Lake.Tables;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Profile;

/// <summary><c>modernize profile &lt;table-dir&gt; [--version N] [--json FILE] [--allow-root DIR]</c>
/// (docs/workspace.md standalone commands; R2.2). Exit 0 when profiled, 2 on error. Files the table's log
/// names outside its folder are refused unless their folder is given with --allow-root.</summary>
internal sealed class ProfileCommand(IAnsiConsole console) : AsyncCommand<ProfileCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<table-dir>")]
        [Description("A Delta table folder (with _delta_log), a Parquet folder or a Parquet file.")]
        public string TablePath { get; init; } = string.Empty;

        [CommandOption("--version <N>")]
        [Description("Read the Delta table at this version (time travel).")]
        public long? Version { get; init; }

        [CommandOption("--timestamp <ISO8601>")]
        [Description("Read the Delta table as of this time (the latest commit at or before it).")]
        public string? Timestamp { get; init; }

        [CommandOption("--json <FILE>")]
        [Description("Write profile.json here.")]
        public string? Json { get; init; }

        [CommandOption("--markdown <FILE>")]
        [Description("Write profile.md (with inline SVG histograms) here.")]
        public string? Markdown { get; init; }

        [CommandOption("--allow-root <DIR>")]
        [Description("A folder outside the table whose files the Delta log may name (a shallow clone's source); repeatable. Without it, only files inside the table folder are read.")]
        public string[] AllowRoots { get; init; } = [];

        public override ValidationResult Validate()
        {
            if (Version is < 0)
            {
                return ValidationResult.Error("--version must be 0 or more");
            }

            if (Version is not null && Timestamp is not null)
            {
                return ValidationResult.Error("give --version or --timestamp, not both");
            }

            if (Timestamp is not null && !DateTimeOffset.TryParse(Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                return ValidationResult.Error($"--timestamp '{Timestamp}' is not an ISO 8601 time");
            }

            if (AllowRoots.FirstOrDefault(r => !Directory.Exists(r)) is { } missing)
            {
                return ValidationResult.Error($"--allow-root '{missing}' is not a folder");
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var at = settings.Version is { } v ? TableVersionSpec.AtVersion(v)
            : settings.Timestamp is { } t ? TableVersionSpec.AtTimestamp(DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
            : null;
        TableProfile profile;
        try
        {
            var options = new LakeTableOptions { AllowedRoots = [.. settings.AllowRoots] };
            var snapshot = await LakeTable.OpenAsync(settings.TablePath, at, options, cancellationToken);
            foreach (var warning in snapshot.Warnings)
            {
                console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(warning));
            }

            await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables(snapshot), cancellationToken);
            profile = await TableProfiler.ProfileAsync(snapshot, engine, ProfileOptions.Default, cancellationToken);
        }
        catch (LakeTableException e)
        {
            // The message names the table and the problem (for a refused path: the action and the path).
            console.MarkupLine("[red]error:[/] " + Markup.Escape(e.Message));
            return 2;
        }

        if (settings.Json is { } json)
        {
            await ProfileWriter.WriteJsonAsync(profile, json, cancellationToken);
        }

        if (settings.Markdown is { } markdown)
        {
            await ProfileWriter.WriteMarkdownAsync(profile, markdown, cancellationToken);
        }

        Print(profile);
        return 0;
    }

    private static void Print(TableProfile profile)
    {
        var header = string.Create(CultureInfo.InvariantCulture, $"{profile.Table}{(profile.Version is { } v ? " @ v" + v : string.Empty)}: {profile.Rows:N0} rows, {profile.Files:N0} files, {profile.Bytes:N0} bytes ({profile.Format})");
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(header);
            Console.WriteLine("column\ttype\tnon_null\tnull_rate\tdistinct\tmin\tmax\tmean");
            foreach (var c in profile.Columns)
            {
                Console.WriteLine(string.Join('\t', c.Name, c.Type, c.Count.ToString(CultureInfo.InvariantCulture), c.NullRate.ToString("0.####", CultureInfo.InvariantCulture),
                    Distinct(c), c.Min?.ToJsonString() ?? "null", c.Max?.ToJsonString() ?? "null", c.Mean?.ToJsonString() ?? "null"));
            }

            return;
        }

        AnsiConsole.MarkupLine(Markup.Escape(header));
        var table = new Table().AddColumns("column", "type", "non-null", "null rate", "distinct", "min", "max", "mean");
        foreach (var c in profile.Columns)
        {
            table.AddRow(
                Markup.Escape(c.Name),
                Markup.Escape(c.Type),
                c.Count.ToString("N0", CultureInfo.InvariantCulture),
                c.NullRate.ToString("P1", CultureInfo.InvariantCulture),
                Distinct(c),
                Markup.Escape(c.Min?.ToJsonString() ?? string.Empty),
                Markup.Escape(c.Max?.ToJsonString() ?? string.Empty),
                Markup.Escape(c.Mean?.ToJsonString() ?? string.Empty));
        }

        AnsiConsole.Write(table);
    }

    private static string Distinct(ColumnProfile c) => c.Distinct is { } d
        ? (c.DistinctExact == false ? "~" : string.Empty) + d.ToString(CultureInfo.InvariantCulture)
        : string.Empty;
}
