using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.State;
using Modernizer.Pipeline.Supervision;
using Modernizer.Web.Live;
using Modernizer.Web.Pages;
using Modernizer.Web.Security;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Api;

/// <summary>The JSON API: what the <c>modernize</c> command shows with <c>--json</c> (status,
/// escalations, decisions, --verify) and the workspace's artifacts, plus approve and reject for
/// approvers. Names are snake_case like every artifact.</summary>
internal static class ApiEndpoints
{
    /// <summary>The artifacts of a job the API serves, by name (never an arbitrary path).</summary>
    public static readonly ImmutableSortedDictionary<string, string> JobArtifacts = new Dictionary<string, string>
    {
        ["analysis"] = "analysis.json",
        ["lineage"] = "lineage.json",
        ["profile"] = "profile.json",
        ["requirements"] = "requirements.json",
        ["spec"] = "spec.json",
        ["tests"] = "tests/inventory.json",
        ["test_results"] = "tests/results.json",
        ["rewrite"] = "rewrite/rewrite.json",
        ["reconciliation"] = "reconciliation.json",
        ["validation"] = "validation.json",
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    public static void MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").RequireAuthorization(DashboardPolicies.View).WithTags("dashboard");

        api.MapGet("/me", (ClaimsPrincipal user) => new MeView(user.Name(), user.Role(), user.Method(), user.CanApprove()))
            .WithSummary("The signed-in user and their role.");

        api.MapGet("/status", (DashboardWorkspace workspace, CancellationToken cancellationToken) => workspace.StatusAsync(cancellationToken))
            .WithSummary("The kanban, as `modernize status --json` prints it: stages with their jobs by state, each job's card and spend.");

        api.MapGet("/jobs", async (DashboardWorkspace workspace, CancellationToken cancellationToken) =>
                new JobsView((await workspace.StatusAsync(cancellationToken)).Jobs))
            .WithSummary("Every selected job with its state, stage, message and spend.");

        api.MapGet("/jobs/{id}", GetJobAsync)
            .WithSummary("One job: its card, inventory and backlog entries, stage runs, artifacts, escalations and decisions.");

        api.MapGet("/jobs/{id}/artifacts/{name}", GetJobArtifactAsync)
            .WithSummary("One artifact of a job as the role wrote it: " + string.Join(", ", JobArtifacts.Keys) + ".");

        api.MapGet("/inventory", (DashboardWorkspace w) => PortfolioArtifact(w, "inventory.json")).WithSummary("portfolio/inventory.json (R1.1).");
        api.MapGet("/finops", (DashboardWorkspace w) => PortfolioArtifact(w, "finops.json")).WithSummary("portfolio/finops.json (R1.2).");
        api.MapGet("/backlog", (DashboardWorkspace w) => PortfolioArtifact(w, "backlog.json")).WithSummary("portfolio/backlog.json (R1.3).");

        api.MapGet("/escalations", async (DashboardWorkspace workspace, bool? all, CancellationToken cancellationToken) =>
                new EscalationsFile([.. (await workspace.EscalationsAsync(cancellationToken))
                    .Where(e => all == true || e.Status == EscalationStatus.Open).Select(EscalationView.From)]))
            .WithSummary("Open escalations (all=true: also closed ones), as `modernize escalations list --json`.");

        api.MapGet("/escalations/{id}", async Task<Results<Ok<EscalationView>, NotFound>> (string id, DashboardWorkspace workspace, CancellationToken cancellationToken) =>
                (await workspace.EscalationsAsync(cancellationToken)).FirstOrDefault(e => e.Id == id) is { } found
                    ? TypedResults.Ok(EscalationView.From(found))
                    : TypedResults.NotFound())
            .WithSummary("One escalation with its evidence.");

        api.MapPost("/escalations/{id}/approve", (string id, ResolveRequest request, ClaimsPrincipal user, DashboardWorkspace workspace, CancellationToken cancellationToken) =>
                ResolveAsync(id, approve: true, request, user, workspace, cancellationToken))
            .RequireAuthorization(DashboardPolicies.Approve)
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithSummary("Approve (approvers only): the job continues on the next run. Logged as a decision naming the signed-in user.");

        api.MapPost("/escalations/{id}/reject", (string id, ResolveRequest request, ClaimsPrincipal user, DashboardWorkspace workspace, CancellationToken cancellationToken) =>
                ResolveAsync(id, approve: false, request, user, workspace, cancellationToken))
            .RequireAuthorization(DashboardPolicies.Approve)
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithSummary("Reject (approvers only): the job stops with the reason. Logged as a decision naming the signed-in user.");

        api.MapGet("/decisions", async (DashboardWorkspace workspace, string? job, string? role, string? outcome, CancellationToken cancellationToken) =>
            {
                var filter = DecisionFilter.Parse(job, role, outcome);
                return new DecisionsView([.. (await workspace.DecisionsAsync(cancellationToken)).Where(filter.Matches)]);
            })
            .WithSummary("The decision log, filtered by job, role and outcome, as `modernize decisions --json`.");

        api.MapGet("/decisions/verify", (DashboardWorkspace workspace, CancellationToken cancellationToken) => workspace.VerifyAsync(cancellationToken))
            .WithSummary("The hash chain of decisions.jsonl and of the store, as `modernize decisions --verify --json`.");

        api.MapGet("/events", (BoardFeed feed, CancellationToken cancellationToken) => TypedResults.ServerSentEvents(feed.WatchAsync(cancellationToken)))
            .WithSummary("Server-sent events: a 'board' event with the status each time it changes (the live kanban).");
    }

    private static async Task<Results<Ok<JobDetailView>, NotFound>> GetJobAsync(string id, DashboardWorkspace workspace, CancellationToken cancellationToken)
    {
        var model = await JobModel.BuildAsync(workspace, id, cancellationToken);
        if (model is null)
        {
            return TypedResults.NotFound();
        }

        var artifacts = JobArtifacts.ToImmutableSortedDictionary(
            a => a.Key,
            a =>
            {
                var relative = DashboardWorkspace.JobFolder(id) + "/" + a.Value;
                return new ArtifactStatus(".modernize/jobs/" + id + "/" + a.Value, File.Exists(workspace.Artifacts.Resolve(relative)));
            },
            StringComparer.Ordinal);
        return TypedResults.Ok(new JobDetailView(
            id,
            model.Card,
            model.Inventory,
            model.Candidate,
            [.. model.Runs.Select(r => new StageRunView(r.Stage, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(r.Status.ToString()), r.Attempts, r.Message, r.FinishedAt))],
            artifacts,
            model.Escalations,
            model.Decisions));
    }

    private static async Task<IResult> GetJobArtifactAsync(string id, string name, DashboardWorkspace workspace, CancellationToken cancellationToken)
    {
        if (!JobArtifacts.TryGetValue(name, out var file) || DashboardWorkspace.JobFolder(id) is not { } folder)
        {
            return TypedResults.NotFound();
        }

        var artifact = await workspace.Artifacts.JsonAsync(folder + "/" + file, cancellationToken);
        return artifact switch
        {
            { Root: { } root } => TypedResults.Json(root),
            { Problem: { } problem } => TypedResults.Problem(problem, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The artifact cannot be read"),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<IResult> PortfolioArtifact(DashboardWorkspace workspace, string file)
    {
        var artifact = await workspace.Artifacts.JsonAsync(".modernize/portfolio/" + file, CancellationToken.None);
        return artifact switch
        {
            { Root: { } root } => TypedResults.Json(root),
            { Problem: { } problem } => TypedResults.Problem(problem, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The artifact cannot be read"),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<Results<Ok<EscalationView>, NotFound, Conflict<ProblemDetails>, ValidationProblem>> ResolveAsync(
        string id, bool approve, ResolveRequest request, ClaimsPrincipal user, DashboardWorkspace workspace, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["A reason is required: it is recorded in the decision log."] });
        }

        var closed = await workspace.ResolveAsync(id, approve, user.Name(), request.Reason.Trim(), cancellationToken);
        if (closed is not null)
        {
            return TypedResults.Ok(EscalationView.From(closed));
        }

        var existing = (await workspace.EscalationsAsync(cancellationToken)).FirstOrDefault(e => e.Id == id);
        return existing is null
            ? TypedResults.NotFound()
            : TypedResults.Conflict(new ProblemDetails
            {
                Title = "The escalation is closed",
                Detail = $"{existing.Id} was {existing.Status.ToString().ToLowerInvariant()} by {existing.ClosedBy} at {existing.ClosedAt}.",
                Status = StatusCodes.Status409Conflict,
            });
    }
}

/// <summary>The body of approve and reject.</summary>
public sealed record ResolveRequest(string Reason);

public sealed record MeView(string Name, string Role, string SignInMethod, bool CanApprove);

public sealed record JobsView(ImmutableArray<JobCard> Jobs);

public sealed record DecisionsView(ImmutableArray<DecisionEntry> Decisions);

public sealed record ArtifactStatus(string Path, bool Present);

public sealed record StageRunView(string Stage, string Status, int Attempts, string? Message, string FinishedAt);

public sealed record JobDetailView(
    string JobId,
    JobCard? Card,
    System.Text.Json.JsonElement? Inventory,
    System.Text.Json.JsonElement? Backlog,
    ImmutableArray<StageRunView> StageRuns,
    ImmutableSortedDictionary<string, ArtifactStatus> Artifacts,
    ImmutableArray<EscalationView> Escalations,
    ImmutableArray<DecisionEntry> Decisions);

/// <summary>A browser's JSON call rides on the cookie, so it must carry the antiforgery token
/// (header X-CSRF-TOKEN); a script signed in with HTTP Basic sends no cookie and needs none.</summary>
internal sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Method() != DashboardPrincipal.Basic && !await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem("The antiforgery token is missing or invalid (send it in the X-CSRF-TOKEN header).", statusCode: StatusCodes.Status400BadRequest);
        }

        return await next(context);
    }
}
