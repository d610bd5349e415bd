using System.Text.Json.Nodes;
using Modernizer.Agents.Limits;
using Modernizer.Agents.Stages;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Agents.Tests.Support;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Tests;

/// <summary>R5.2 limits across restarts: the per-job budget lives in one process, so a resumed run starts
/// it from the spend already in the workspace's decision log and cannot exceed the per-job budget.</summary>
public sealed class BudgetAcrossRestartsTests : IDisposable
{
    private const string Job = "orders_incremental_merge";
    private const long TokensPerJob = 5_000;
    private readonly TestDirectory _dir = new();
    private readonly AgentTelemetry _telemetry = new();

    public BudgetAcrossRestartsTests()
    {
        var source = SampleJobs.Folder(Job);
        var target = Path.Combine(_dir.Path, "jobs", Job);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }

    private WorkspacePaths Workspace => new(_dir.Path);

    [Fact]
    public async Task Logged_spend_is_summed_per_job_and_portfolio_decisions_count_for_the_portfolio()
    {
        await WriteLogAsync(
            Entry(Job, 1200, 0.0150m),
            Entry("other_job", 999, 1.0m),
            Entry(Job, 300, 0.0050m),
            Entry(null, 70, 0.0007m));

        Assert.Equal(new UsageSnapshot(1500, 0, 0.0200m), await LoggedSpend.ReadAsync(Workspace.DecisionsJsonl, Job, CancellationToken.None));
        Assert.Equal(new UsageSnapshot(70, 0, 0.0007m), await LoggedSpend.ReadAsync(Workspace.DecisionsJsonl, LoggedSpend.PortfolioScope, CancellationToken.None));
        Assert.Equal(default, await LoggedSpend.ReadAsync(Path.Combine(_dir.Path, "missing.jsonl"), Job, CancellationToken.None));
    }

    [Fact]
    public async Task A_log_line_that_is_not_a_decision_is_an_error_naming_file_and_line()
    {
        await WriteLogAsync(Entry(Job, 10, 0.001m), "{not json");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => LoggedSpend.ReadAsync(Workspace.DecisionsJsonl, Job, CancellationToken.None));
        Assert.Contains("decisions.jsonl:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_seed_is_taken_only_before_the_run_keeps_its_own_budget_for_the_scope()
    {
        var ledger = new BudgetLedger(TokensPerJob, 2m);
        Assert.True(ledger.Seed(Job, new UsageSnapshot(4_000, 0, 0.5m)));
        ledger.For(Job).Charge(100, 10, 0.01m);
        Assert.False(ledger.Seed(Job, new UsageSnapshot(4_110, 0, 0.51m)));
        Assert.Equal(4_110, ledger.For(Job).Spent.TotalTokens);
        Assert.Equal(new UsageSnapshot(4_000, 0, 0.5m), ledger.For(Job).CarriedOver);
    }

    [Fact]
    public async Task A_resumed_run_whose_job_spent_its_budget_before_the_restart_calls_no_model()
    {
        await WriteLogAsync(Entry(Job, TokensPerJob, 0.10m));
        await using var server = new FakeAnthropicServer { Responder = _ => FakeAnthropicServer.Text("{}") };

        var outcome = await RunCodeReviewAsync(server.BaseUrl);

        Assert.Empty(server.Received);
        var limits = outcome.Decisions.Where(d => d.Kind == "limit_reached").ToArray();
        Assert.NotEmpty(limits);
        Assert.All(limits, limit =>
        {
            Assert.Equal("limit:budget", limit.Rule);
            Assert.Contains("5000 of its 5000 model tokens", limit.Rationale, StringComparison.Ordinal);
        });
        Assert.All(outcome.Decisions, d => Assert.Equal(0, d.Tokens));
        Assert.Contains(outcome.Escalations, e => e.Kind == EscalationKind.LimitReached);
    }

    [Fact]
    public async Task A_job_with_budget_left_in_the_log_still_asks_the_model()
    {
        await WriteLogAsync(Entry(Job, TokensPerJob - 1_000, 0.05m), Entry("other_job", TokensPerJob * 10, 9m));
        await using var server = new FakeAnthropicServer { Responder = _ => FakeAnthropicServer.Text("{}", input: 100, output: 10) };

        var outcome = await RunCodeReviewAsync(server.BaseUrl);

        Assert.NotEmpty(server.Received);
        Assert.Contains(outcome.Decisions, d => d.Tokens > 0);
    }

    private async Task<StageOutcome> RunCodeReviewAsync(Uri endpoint)
    {
        var settings = ModernizeSettings.Default with
        {
            Llm = new LlmSettings(LlmProvider.Anthropic, "claude-sonnet-4-5", 1024, 0, endpoint.ToString()),
            Budgets = ModernizeSettings.Default.Budgets with { TokensPerJob = TokensPerJob },
        };
        using var services = AgentServices.Create(settings, _telemetry, name => name == "ANTHROPIC_API_KEY" ? Gateways.TestKey : null);
        var work = new StageWorkCatalog(services).Create(RoleId.CodeReviewer);
        return await work.RunAsync(new StageContext(Workspace, new JobId(Job), settings, 1), CancellationToken.None);
    }

    private async Task WriteLogAsync(params string[] lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Workspace.DecisionsJsonl)!);
        await File.WriteAllLinesAsync(Workspace.DecisionsJsonl, lines);
    }

    /// <summary>A decision line in the log's format (the fields the budget reads, plus a few others).</summary>
    private static string Entry(string? job, long tokens, decimal cost) => new JsonObject
    {
        ["seq"] = 1,
        ["job_id"] = job,
        ["stage"] = "code_review",
        ["role"] = "code_reviewer",
        ["kind"] = "assumption_resolution",
        ["tokens"] = tokens,
        ["cost_usd"] = cost,
        ["instructions_hash"] = new string('a', 64),
    }.ToJsonString();

    public void Dispose()
    {
        _telemetry.Dispose();
        _dir.Dispose();
    }
}
