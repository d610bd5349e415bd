using System.Text.Json;
using System.Text.Json.Nodes;
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
using Modernizer.Specs.Testing.Harness;

namespace Modernizer.Agents.Tests;

/// <summary>The requirements, spec, test design, test data, test harness and test run stages (R2.3, R3.1-R3.3,
/// R4.3, X3, X4) on a small workspace, as the supervisor runs them.</summary>
public sealed class SpecsStageTests : IDisposable
{
    private static readonly RoleId[] Tier2And3 =
    [
        RoleId.CodeReviewer, RoleId.DataProfiler, RoleId.RequirementsInferencer, RoleId.SpecWriter,
        RoleId.TestCaseDesigner, RoleId.TestDataGenerator, RoleId.TestHarnessBuilder,
    ];

    private readonly TestDirectory _dir = new();
    private readonly AgentTelemetry _telemetry = new();

    [Fact]
    public async Task Each_stage_writes_its_artifacts_and_the_runner_passes_a_correct_rewrite()
    {
        var workspace = await ShopWorkspace.CreateAsync(_dir);
        foreach (var role in Tier2And3)
        {
            var outcome = await RunAsync(role, workspace, "shop_usd", ModernizeSettings.Default);
            Assert.True(outcome.Status == StageStatus.Completed, $"{role}: {outcome.Status} {outcome.Message}");
            Assert.All(outcome.Decisions, d => Assert.Equal(role, d.Role));
        }

        var output = workspace.JobOutput(new JobId("shop_usd"));
        foreach (var file in new[] { "requirements.json", "spec.json", "spec.md", "tests/inventory.json", "tests/fixtures/fixtures.json", "tests/coverage.json", "tests/coverage.md" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }

        using (var spec = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "spec.json"))))
        {
            foreach (var field in new[] { "job_id", "purpose", "requirements", "suspected_defects", "architectural_improvements", "traceability" })
            {
                Assert.True(spec.RootElement.TryGetProperty(field, out _), field);
            }

            var evidence = spec.RootElement.GetProperty("requirements")[0].GetProperty("evidence")[0];
            Assert.Equal("code", evidence.GetProperty("kind").GetString());
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(output, "tests", "cases"), "*.yaml"));
        ShopWorkspace.InstallRewrite(workspace);
        var run = await RunAsync(RoleId.TestRunner, workspace, "shop_usd", ModernizeSettings.Default);
        Assert.Equal(StageStatus.Completed, run.Status);
        Assert.Equal("test_run_passed", Assert.Single(run.Decisions).Kind);
        Assert.True(File.Exists(Path.Combine(output, "tests", "results.json")));
    }

    [Fact]
    public async Task A_regulatory_lookup_whose_value_depends_on_row_order_escalates_below_the_floor()
    {
        var workspace = await ShopWorkspace.CreateAsync(_dir);
        var settings = ModernizeSettings.Default with { Tags = ModernizeSettings.Default.Tags with { FinancialColumns = [.. ModernizeSettings.Default.Tags.FinancialColumns, "*rate*"] } };
        await RunAsync(RoleId.CodeReviewer, workspace, "shop_fx", settings);
        await RunAsync(RoleId.DataProfiler, workspace, "shop_fx", settings);

        var outcome = await RunAsync(RoleId.RequirementsInferencer, workspace, "shop_fx", settings);

        Assert.Equal(StageStatus.Escalated, outcome.Status);
        var escalation = Assert.Single(outcome.Escalations);
        Assert.Equal(EscalationKind.RegulatoryLowConfidence, escalation.Kind);
        Assert.Contains("(SOX)", escalation.Summary, StringComparison.Ordinal);
        Assert.Contains(escalation.Evidence, e => e.Kind == EvidenceKind.SourceData);
        var decision = Assert.Single(outcome.Decisions, d => d.Kind == "regulatory_requirement");
        Assert.Equal(DecisionOutcome.Escalated, decision.Outcome);
        Assert.Contains(outcome.Decisions, d => d.Kind == "requirement_interpretation");
        Assert.Contains(outcome.Decisions, d => d.Kind == "consultation");

        var plain = await RunAsync(RoleId.RequirementsInferencer, workspace, "shop_fx", ModernizeSettings.Default);
        Assert.Equal(StageStatus.Completed, plain.Status);
    }

    [Fact]
    public async Task Failing_tests_go_back_to_the_code_writer_and_escalate_when_the_attempts_run_out()
    {
        var workspace = await ShopWorkspace.CreateAsync(_dir);
        var settings = ModernizeSettings.Default with { Escalation = ModernizeSettings.Default.Escalation with { RewriteAttempts = 2 } };
        foreach (var role in Tier2And3)
        {
            await RunAsync(role, workspace, "shop_usd", settings);
        }

        ShopWorkspace.InstallRewrite(workspace, sql => sql.Replace("LEFT JOIN", "JOIN", StringComparison.Ordinal));
        var first = await RunAsync(RoleId.TestRunner, workspace, "shop_usd", settings);
        Assert.Equal(StageStatus.Failed, first.Status);
        var decision = Assert.Single(first.Decisions);
        Assert.Equal("test_run_failed", decision.Kind);
        Assert.Equal("X4/back-to-code-writer", decision.Rule);
        Assert.Contains("left_unmatched", decision.Rationale, StringComparison.Ordinal);
        Assert.Contains(decision.Evidence, e => e.Reference.EndsWith("_left_unmatched.yaml", StringComparison.Ordinal));
        Assert.Empty(first.Escalations);

        // The supervisor logs the decision; the Code Writer's next rewrite fails again.
        await File.WriteAllTextAsync(workspace.DecisionsJsonl, JsonSerializer.Serialize(new
        {
            job_id = "shop_usd",
            kind = decision.Kind,
            evidence = decision.Evidence.Select(e => new { reference = e.Reference, detail = e.Detail }),
        }) + "\n");
        ShopWorkspace.InstallRewrite(workspace, sql => sql.Replace("LEFT JOIN", "JOIN", StringComparison.Ordinal).Replace("o.qty >= 2", "o.qty > 2", StringComparison.Ordinal));
        var second = await RunAsync(RoleId.TestRunner, workspace, "shop_usd", settings);

        Assert.Equal(StageStatus.Escalated, second.Status);
        Assert.Equal(EscalationKind.ReconciliationFailure, Assert.Single(second.Escalations).Kind);
        Assert.Equal("X4/rewrite-attempts-exhausted", Assert.Single(second.Decisions).Rule);
    }

    [Fact]
    public async Task With_a_model_rules_are_phrased_and_a_suggested_case_still_gets_its_expected_rows_from_the_legacy_runner()
    {
        var workspace = await ShopWorkspace.CreateAsync(_dir);
        await using var server = new FakeAnthropicServer { Responder = Answer };
        var settings = ModernizeSettings.Default with { Llm = new LlmSettings(LlmProvider.Anthropic, "claude-sonnet-4-5", 1024, 0, server.BaseUrl.ToString()) };
        Func<string, string?> environment = name => name == "ANTHROPIC_API_KEY" ? Gateways.TestKey : null;
        foreach (var role in Tier2And3)
        {
            var outcome = await RunAsync(role, workspace, "shop_usd", settings, environment);
            Assert.True(outcome.Status == StageStatus.Completed, $"{role}: {outcome.Status} {outcome.Message}");
        }

        var output = workspace.JobOutput(new JobId("shop_usd"));
        var requirements = await Specs.Requirements.RequirementsWriter.ReadAsync(output, CancellationToken.None);
        var phrased = requirements.Requirements.Where(r => r.Statement.StartsWith("Paid-order rule: ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(phrased);
        Assert.All(phrased, r => Assert.Contains(r.Evidence, e => e.Kind == Specs.Requirements.EvidenceSource.Code));
        var suggested = Path.Combine(output, "tests", "cases", "model_1.yaml");
        var file = CaseFile.Parse(suggested, await File.ReadAllTextAsync(suggested));
        Assert.Equal("model", file.Origin);
        Assert.Equal(ExpectationStatus.Known, file.Expect.Status);
        Assert.Equal("legacy_runner", file.Expect.Source);
        Assert.Contains(file.Given.Single(t => t.Table == "raw.orders").Rows, r => r.Contains("\"qty\":7", StringComparison.Ordinal));
    }

    /// <summary>The fake model: names filter rules, suggests one large quantity, and answers everything else with
    /// what the engine offered (so the deterministic path decides).</summary>
    private static FakeAnthropicServer.Reply Answer(FakeAnthropicServer.ReceivedRequest request)
    {
        var system = request.Json["system"]?.ToJsonString() ?? string.Empty;
        var text = string.Join("\n", request.Json["messages"]!.AsArray().SelectMany(m => m!["content"] is JsonArray blocks
            ? blocks.Select(b => b!["text"]?.GetValue<string>() ?? string.Empty)
            : [m["content"]!.GetValue<string>()]));
        var start = text.IndexOf("source=\"input\">>>\n", StringComparison.Ordinal) + "source=\"input\">>>\n".Length;
        var end = text.IndexOf("\n" + Safety.DataEnvelope.Close, start, StringComparison.Ordinal);
        var input = JsonNode.Parse(text[start..end])!["input"]!;
        if (system.Contains("You design tests", StringComparison.Ordinal))
        {
            var columns = input["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
            var cases = columns.Contains("raw.orders.qty") && input["requirement_id"]!.GetValue<string>() == "REQ-001"
                ? new JsonArray(new JsonObject { ["description"] = "an order of seven units", ["table"] = "raw.orders", ["column"] = "qty", ["value"] = "7" })
                : [];
            return FakeAnthropicServer.Text(new JsonObject { ["cases"] = cases, ["confidence"] = 0.8, ["evidence_refs"] = new JsonArray(input["requirement_id"]!.GetValue<string>()) }.ToJsonString());
        }

        if (system.Contains("You infer functional requirements", StringComparison.Ordinal))
        {
            var span = input["span"]!.GetValue<string>();
            return FakeAnthropicServer.Text(new JsonObject
            {
                ["name"] = "Paid-order rule",
                ["statement"] = input["logic"]!.GetValue<string>(),
                ["regulatory"] = false,
                ["regulation"] = null,
                ["confidence"] = 0.8,
                ["evidence_refs"] = new JsonArray(span),
            }.ToJsonString());
        }

        return FakeAnthropicServer.Text("{}");
    }

    private async Task<StageOutcome> RunAsync(RoleId role, WorkspacePaths workspace, string job, ModernizeSettings settings, Func<string, string?>? environment = null)
    {
        using var services = AgentServices.Create(settings, _telemetry, environment ?? (_ => null));
        var work = SpecsStageWorks.Roles.Contains(role) ? SpecsStageWorks.Create(role, services) : new StageWorkCatalog(services).Create(role);
        return await work.RunAsync(new StageContext(workspace, new JobId(job), settings, 1), CancellationToken.None);
    }

    public void Dispose()
    {
        _telemetry.Dispose();
        _dir.Dispose();
    }
}
