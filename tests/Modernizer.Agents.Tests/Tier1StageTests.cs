using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Modernizer.Agents.Stages;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Portfolio.Staging;
using Modernizer.Samples;

namespace Modernizer.Agents.Tests;

/// <summary>The retail sample's catalog and finops exports (no lake), generated once for the class.</summary>
public sealed class RetailPortfolioFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "modernizer-agents-retail-" + Guid.NewGuid().ToString("N"));

    /// <summary>The deterministic tier-1 run (provider none), shared by the tests that compare with it.</summary>
    public Tier1Run Deterministic { get; private set; } = null!;

    private readonly List<string> _scratch = [];

    public async Task InitializeAsync()
    {
        // A short history keeps the suite fast; tier 1's own acceptance runs on the full sample elsewhere.
        await SampleWorkspaceWriter.WriteAsync(Root, new SampleOptions { IncludeLake = false, Days = 60 }, null, CancellationToken.None);
        using var telemetry = new AgentTelemetry();
        using var services = AgentServices.Create(ModernizeSettings.Default, telemetry, _ => null);
        Deterministic = await RunAsync(services, Tier1Run.All);
    }

    /// <summary>Runs <paramref name="roles"/> in order on a fresh copy of the sample's inputs.</summary>
    public async Task<Tier1Run> RunAsync(AgentServices services, IReadOnlyList<RoleId> roles)
    {
        var root = Path.Combine(Path.GetTempPath(), "modernizer-agents-tier1-" + Guid.NewGuid().ToString("N"));
        lock (_scratch)
        {
            _scratch.Add(root);
        }

        CopyInputs(Root, root);
        var workspace = new WorkspacePaths(root);
        var catalog = new StageWorkCatalog(services);
        var outcomes = new List<(IStageWork, StageOutcome)>();
        foreach (var role in roles)
        {
            var work = catalog.Create(role);
            outcomes.Add((work, await work.RunAsync(new StageContext(workspace, null, ModernizeSettings.Default, 1), CancellationToken.None)));
        }

        return new Tier1Run(workspace, [.. outcomes]);
    }

    public static void CopyInputs(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith(".modernize", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var folder in _scratch.Append(Root).Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}

public sealed record Tier1Run(WorkspacePaths Workspace, (IStageWork Work, StageOutcome Outcome)[] Outcomes)
{
    public static readonly RoleId[] All = [RoleId.PortfolioScanner, RoleId.FinOpsAnalyst, RoleId.PrioritizationOrchestrator];
}

/// <summary>Tier 1 as stage work on the retail sample: deterministic by default, and the same stage states
/// on the model path with replayed answers (R1.1-R1.3, R5.2, X2).</summary>
public sealed partial class Tier1StageTests(RetailPortfolioFixture sample) : IClassFixture<RetailPortfolioFixture>
{
    [Fact]
    public void Tier_one_runs_deterministically_and_every_decision_names_its_role()
    {
        var (workspace, outcomes) = sample.Deterministic;

        Assert.All(outcomes, o => Assert.Contains(o.Outcome.Status, new[] { StageStatus.Completed, StageStatus.Escalated }));
        Assert.True(File.Exists(workspace.InventoryJson));
        Assert.True(File.Exists(workspace.FinopsJson));
        Assert.True(File.Exists(workspace.BacklogJson));
        Assert.All(outcomes, o => Assert.All(o.Outcome.Decisions, d => Assert.Equal(o.Work.Role, d.Role)));
        Assert.All(outcomes.SelectMany(o => o.Outcome.Decisions), d => Assert.Equal(0, d.Tokens));
        Assert.All(outcomes.SelectMany(o => o.Outcome.Artifacts), a => Assert.Matches("^[0-9a-f]{64}$", a.Sha256));
    }

    [Fact]
    public void The_later_stages_read_the_scan_staged_for_the_same_inputs_instead_of_scanning_again()
    {
        var (workspace, outcomes) = sample.Deterministic;

        Assert.True(File.Exists(PortfolioStage.ScanManifestPath(workspace)));
        Assert.Equal(FinOpsStageWork.Source(staged: true), outcomes.Single(o => o.Work.Role == RoleId.FinOpsAnalyst).Outcome.Message);
        Assert.Equal(PrioritizeStageWork.Source(staged: true), outcomes.Single(o => o.Work.Role == RoleId.PrioritizationOrchestrator).Outcome.Message);
    }

    [Fact]
    public async Task A_stale_stage_is_not_read_the_stages_scan_again_and_write_the_same_artifacts()
    {
        using var telemetry = new AgentTelemetry();
        using var services = AgentServices.Create(ModernizeSettings.Default, telemetry, _ => null);
        var run = await sample.RunAsync(services, Tier1Run.All);
        var before = run.Outcomes.SelectMany(o => o.Outcome.Artifacts).ToArray();
        var manifest = PortfolioStage.ScanManifestPath(run.Workspace);
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("\"input_hash\": \"", "\"input_hash\": \"0", StringComparison.Ordinal));

        var catalog = new StageWorkCatalog(services);
        var context = new StageContext(run.Workspace, null, ModernizeSettings.Default, 1);
        var finops = await catalog.Create(RoleId.FinOpsAnalyst).RunAsync(context, CancellationToken.None);
        var prioritize = await catalog.Create(RoleId.PrioritizationOrchestrator).RunAsync(context, CancellationToken.None);

        Assert.Equal(FinOpsStageWork.Source(staged: false), finops.Message);
        // The FinOps stage recorded its report again for these inputs; the prioritizer reads the scan's
        // artifact only with a valid scan stage, so it computed both again.
        Assert.Equal(PrioritizeStageWork.Source(staged: false), prioritize.Message);
        Assert.Equal(
            before.Where(a => a.Path is "portfolio/finops.json" or "portfolio/backlog.json").OrderBy(a => a.Path, StringComparer.Ordinal),
            finops.Artifacts.Concat(prioritize.Artifacts).Where(a => a.Path is "portfolio/finops.json" or "portfolio/backlog.json").OrderBy(a => a.Path, StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_input_hash_is_stable_and_follows_the_files_a_stage_reads()
    {
        using var telemetry = new AgentTelemetry();
        using var services = AgentServices.Create(ModernizeSettings.Default, telemetry, _ => null);
        var work = new StageWorkCatalog(services).Create(RoleId.PortfolioScanner);
        using var copy = new TestDirectory();
        RetailPortfolioFixture.CopyInputs(sample.Root, copy.Path);
        var context = new StageContext(new WorkspacePaths(copy.Path), null, ModernizeSettings.Default, 1);

        var first = await work.ComputeInputHashAsync(context, CancellationToken.None);
        var again = await work.ComputeInputHashAsync(context, CancellationToken.None);
        File.AppendAllText(Directory.GetFiles(Path.Combine(copy.Path, "catalog"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First(), "\n");
        var changed = await work.ComputeInputHashAsync(context, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.NotEqual(first, changed);
    }

    [Fact]
    public async Task With_replayed_answers_the_judgment_steps_take_the_model_path_record_spend_and_end_in_the_same_states()
    {
        using var telemetry = new AgentTelemetry();
        var deterministic = sample.Deterministic.Outcomes;

        using var recordings = new TestDirectory();
        await using (var server = new FakeAnthropicServer { Responder = Justify })
        {
            var live = ModernizeSettings.Default with { Llm = new LlmSettings(LlmProvider.Anthropic, "claude-sonnet-4-5", 1024, 0, server.BaseUrl.ToString()) };
            using var liveServices = AgentServices.Create(live, telemetry,
                name => name switch { "ANTHROPIC_API_KEY" => Gateways.TestKey, AgentServices.RecordVariable => recordings.Path, _ => null });
            // Only the prioritizer asks a model in tier 1: recording its stage records every judgment.
            await sample.RunAsync(liveServices, [RoleId.PrioritizationOrchestrator]);
            Assert.NotEmpty(server.Received);
        }

        var replaySettings = ModernizeSettings.Default with { Llm = new LlmSettings(LlmProvider.Anthropic, "claude-sonnet-4-5", 1024, 0, null) };
        using var replayServices = AgentServices.Create(replaySettings, telemetry, name => name == AgentServices.ReplayVariable ? recordings.Path : null);
        var (workspace, replayed) = await sample.RunAsync(replayServices, Tier1Run.All);

        Assert.Equal(deterministic.Select(o => o.Outcome.Status), replayed.Select(o => o.Outcome.Status));
        Assert.Equal(
            deterministic.SelectMany(o => o.Outcome.Escalations).Select(e => (e.Kind, e.JobId)).Order(),
            replayed.SelectMany(o => o.Outcome.Escalations).Select(e => (e.Kind, e.JobId)).Order());
        var phrased = replayed.Single(o => o.Work.Role == RoleId.PrioritizationOrchestrator).Outcome.Decisions.Where(d => d.Kind == "justification_phrasing").ToArray();
        Assert.NotEmpty(phrased);
        Assert.All(phrased, d =>
        {
            Assert.True(d.Tokens > 0);
            Assert.True(d.CostUsd > 0);
            Assert.Matches("^[0-9a-f]{64}$", d.InstructionsHash!);
        });
        using var backlog = JsonDocument.Parse(File.ReadAllText(workspace.BacklogJson));
        Assert.All(backlog.RootElement.GetProperty("candidates").EnumerateArray(),
            c => Assert.StartsWith("Model-phrased:", c.GetProperty("justification").GetString(), StringComparison.Ordinal));
        Assert.True(replayServices.Gateway.Ledger.Spend().Values.Sum(s => s.TotalTokens) > 0);
    }

    /// <summary>A fake model that phrases a justification citing the candidate's own backlog anchor.</summary>
    private static FakeAnthropicServer.Reply Justify(FakeAnthropicServer.ReceivedRequest request)
    {
        var anchor = Anchor().Match(request.Body);
        var answer = new JsonObject
        {
            ["justification"] = "Model-phrased: ranks here for its cost and failure factors.",
            ["confidence"] = 0.8,
            ["evidence_refs"] = new JsonArray(anchor.Value),
        };
        return FakeAnthropicServer.Text(answer.ToJsonString(), input: 400, output: 30);
    }

    [GeneratedRegex(@"portfolio/backlog\.json#[A-Za-z0-9_.\-]+")]
    private static partial Regex Anchor();
}
