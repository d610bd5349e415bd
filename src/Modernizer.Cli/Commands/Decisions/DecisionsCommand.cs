using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Modernizer.Pipeline.Decisions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Decisions;

/// <summary><c>modernize decisions [--job J] [--role R] [--verify]</c>: the decision log (X2), and
/// with --verify the hash chain of <c>.modernize/decisions.jsonl</c> and of the store, naming the
/// first broken entry, and the end of each against the store's chain head, naming the missing tail
/// (exit 1).</summary>
internal sealed class DecisionsCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<DecisionsCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--job <JOB>")]
        [Description("Only the decisions about this job.")]
        public string? Job { get; init; }

        [CommandOption("--role <ROLE>")]
        [Description("Only the decisions of this role (snake_case, e.g. code_reviewer).")]
        public string? Role { get; init; }

        [CommandOption("--verify")]
        [Description("Verify the hash chain of the file and the store and that both end at the store's chain head; exit 1 naming the first broken or missing entry.")]
        public bool Verify { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = await WorkspaceSession.OpenAsync(settings.Workspace, services.Environment, cancellationToken);
        if (settings.Verify)
        {
            var (file, store) = await ChainVerifier.VerifyWorkspaceAsync(session.Store, session.Paths, cancellationToken);
            var view = new VerifyView(new ChainView("decisions.jsonl", file), new ChainView("state store", store));
            if (settings.WantsJson)
            {
                await JsonOutput.WriteAsync(console, settings.JsonFile, view, cancellationToken);
            }
            else
            {
                Report(view.File);
                Report(view.Store);
            }

            return file.Intact && store.Intact ? ExitCodes.Ok : ExitCodes.Findings;
        }

        var entries = (await session.Store.ReadDecisionsAsync(0, cancellationToken))
            .Where(e => settings.Job is null || e.JobId == settings.Job)
            .Where(e => settings.Role is null || string.Equals(e.Role, settings.Role, StringComparison.OrdinalIgnoreCase))
            .ToImmutableArray();
        if (settings.WantsJson)
        {
            await JsonOutput.WriteAsync(console, settings.JsonFile, new DecisionsView(entries), cancellationToken);
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("seq", "job", "stage", "role", "kind", "outcome", "conf.", "rule", "rationale");
        foreach (var e in entries)
        {
            table.AddRow(e.Seq.ToString(CultureInfo.InvariantCulture), Markup.Escape(e.JobId ?? "(portfolio)"), Markup.Escape(e.Stage), Markup.Escape(e.Role),
                Markup.Escape(e.Kind), Markup.Escape(e.Outcome), e.Confidence.ToString("0.00", CultureInfo.InvariantCulture), Markup.Escape(e.Rule), Markup.Escape(e.Rationale));
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape($"{entries.Length} decisions"));
        return ExitCodes.Ok;
    }

    private void Report(ChainView chain)
    {
        var where = chain.BrokenAtLine is { } line
            ? $"broken at line {line} (seq {chain.BrokenAtSeq?.ToString(CultureInfo.InvariantCulture) ?? "?"})"
            : "incomplete";
        console.MarkupLine(chain.Intact
            ? Markup.Escape($"{chain.Source}: intact, {chain.Entries} entries")
            : $"[red]{Markup.Escape($"{chain.Source}: {where}: {chain.Problem}")}[/]");
    }
}

internal sealed record DecisionsView(ImmutableArray<DecisionEntry> Decisions);

internal sealed record VerifyView(ChainView File, ChainView Store);

internal sealed record ChainView(string Source, bool Intact, long Entries, long? BrokenAtLine, long? BrokenAtSeq, string? Problem)
{
    public ChainView(string source, ChainVerification verification)
        : this(source, verification.Intact, verification.Entries, verification.BrokenAtLine, verification.BrokenAtSeq, verification.Problem)
    {
    }
}
