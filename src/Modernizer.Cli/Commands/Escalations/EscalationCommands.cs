using System.Collections.Immutable;
using System.ComponentModel;
using Modernizer.Cli.Composition;
using Modernizer.Cli.Infrastructure;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.Escalations;
using Modernizer.Pipeline.State;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Modernizer.Cli.Commands.Escalations;

/// <summary><c>modernize escalations list</c>: open and closed escalations (X3). Exit 1 while any is open.</summary>
internal sealed class EscalationsListCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<EscalationsListCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--all")]
        [Description("Also list closed (approved or rejected) escalations.")]
        public bool All { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = await WorkspaceSession.OpenAsync(settings.Workspace, services.Environment, cancellationToken);
        var all = await session.Store.ReadEscalationsAsync(cancellationToken);
        var shown = all.Where(e => settings.All || e.Status == EscalationStatus.Open).Select(EscalationView.From).ToImmutableArray();
        if (settings.WantsJson)
        {
            await JsonOutput.WriteAsync(console, settings.JsonFile, new EscalationsFile(shown), cancellationToken);
        }
        else
        {
            var table = new Table().AddColumns("id", "job", "stage", "kind", "status", "summary");
            foreach (var e in shown)
            {
                table.AddRow(Markup.Escape(e.Id), Markup.Escape(e.JobId ?? "(portfolio)"), Markup.Escape(e.Stage), Markup.Escape(e.Kind), Markup.Escape(e.Status), Markup.Escape(e.Summary));
            }

            console.Write(table);
            console.MarkupLine(Markup.Escape($"{all.Count(e => e.Status == EscalationStatus.Open)} open, {all.Count(e => e.Status != EscalationStatus.Open)} closed"));
        }

        return all.Any(e => e.Status == EscalationStatus.Open) ? ExitCodes.Findings : ExitCodes.Ok;
    }
}

public class EscalationIdSettings : WorkspaceSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The escalation id (esc-...), as `modernize escalations list` shows it.")]
    public string Id { get; init; } = string.Empty;
}

/// <summary><c>modernize escalations show ID</c>: one escalation with its evidence.</summary>
internal sealed class EscalationsShowCommand(IAnsiConsole console, ModernizeServices services) : AsyncCommand<EscalationIdSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EscalationIdSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await WorkspaceSession.OpenAsync(settings.Workspace, services.Environment, cancellationToken);
        var found = (await session.Store.ReadEscalationsAsync(cancellationToken)).FirstOrDefault(e => e.Id == settings.Id)
            ?? throw new CliException($"No escalation has the id '{settings.Id}'.");
        var view = EscalationView.From(found);
        if (settings.WantsJson)
        {
            await JsonOutput.WriteAsync(console, settings.JsonFile, view, cancellationToken);
            return ExitCodes.Ok;
        }

        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string? value) => grid.AddRow(Markup.Escape(name), Markup.Escape(value ?? "-"));
        Row("id", view.Id);
        Row("job", view.JobId ?? "(portfolio)");
        Row("stage", view.Stage);
        Row("role", view.Role);
        Row("kind", view.Kind);
        Row("status", view.Status);
        Row("summary", view.Summary);
        Row("opened", view.OpenedAt);
        Row("closed", view.ClosedAt is null ? null : $"{view.ClosedAt} by {view.ClosedBy}: {view.Reason}");
        foreach (var evidence in view.Evidence)
        {
            Row("evidence", $"{DecisionHasher.EvidenceKindName(evidence.Kind)} {evidence.Reference}{(evidence.Detail is null ? string.Empty : " - " + evidence.Detail)}");
        }

        console.Write(grid);
        return ExitCodes.Ok;
    }
}

public sealed class ResolveSettings : EscalationIdSettings
{
    [CommandOption("--by <NAME>")]
    [Description("Who decides (recorded in the decision log).")]
    public string By { get; init; } = string.Empty;

    [CommandOption("--reason <TEXT>")]
    [Description("Why (recorded in the decision log; a rejected job shows it).")]
    public string Reason { get; init; } = string.Empty;

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(By) ? ValidationResult.Error("--by NAME is required")
        : string.IsNullOrWhiteSpace(Reason) ? ValidationResult.Error("--reason TEXT is required")
        : base.Validate();
}

/// <summary><c>modernize escalations approve|reject ID --by NAME --reason TEXT</c>.</summary>
internal abstract class EscalationsResolveCommand(IAnsiConsole console, ModernizeServices services, bool approve) : AsyncCommand<ResolveSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ResolveSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await WorkspaceSession.OpenAsync(settings.Workspace, services.Environment, cancellationToken);
        var queue = new EscalationQueue(session.Store, session.Paths, services.Clock);
        var closed = await queue.ResolveAsync(settings.Id, approve, settings.By, settings.Reason, cancellationToken)
            ?? throw new CliException($"No open escalation has the id '{settings.Id}' (see `modernize escalations list --all`).");
        var view = EscalationView.From(closed);
        if (settings.WantsJson)
        {
            await JsonOutput.WriteAsync(console, settings.JsonFile, view, cancellationToken);
        }
        else
        {
            console.MarkupLine(Markup.Escape(approve
                ? $"{view.Id} approved by {view.ClosedBy}: job {view.JobId ?? "(portfolio)"} continues on the next run"
                : $"{view.Id} rejected by {view.ClosedBy}: job {view.JobId ?? "(portfolio)"} stops ({view.Reason})"));
        }

        return ExitCodes.Ok;
    }
}

internal sealed class EscalationsApproveCommand(IAnsiConsole console, ModernizeServices services) : EscalationsResolveCommand(console, services, approve: true);

internal sealed class EscalationsRejectCommand(IAnsiConsole console, ModernizeServices services) : EscalationsResolveCommand(console, services, approve: false);
