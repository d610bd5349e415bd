using System.Text.Json;
using System.Text.Json.Nodes;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Cli.Composition;
using Modernizer.Samples;
using Xunit.Abstractions;

namespace Modernizer.Cli.Tests.EndToEnd;

/// <summary>X1/X2/R5.2 through <c>modernize run</c> on the retail sample: recorded once against the local
/// fake of the Anthropic Messages API (through the real SDK, MODERNIZE_LLM_RECORD), the run replayed with
/// MODERNIZE_LLM_REPLAY takes the model path for the judgment steps, records tokens, cost and the
/// instructions hash on their decisions, shows the spend in <c>status</c>, keeps the decision chain
/// verifiable, and ends in the same job states and stages as the deterministic run (provider none).</summary>
public sealed class ModelPathRunTests(ITestOutputHelper output)
{
    private const string ApiKey = "sk-ant-test-key-never-logged";

    [Fact]
    public async Task A_replayed_model_run_of_the_sample_ends_in_the_deterministic_states_and_logs_its_spend()
    {
        using var sample = new TempFolder();
        // A quarter of run history keeps the three runs fast; the jobs, code and lake are the full sample.
        await SampleWorkspaceWriter.WriteAsync(sample.Path, new SampleOptions { Days = 90 }, null, CancellationToken.None);
        using var recordings = new TempFolder();
        using var none = Copy(sample.Path);
        using var recorded = Copy(sample.Path);
        using var replayed = Copy(sample.Path);

        var deterministic = await RunAsync(none.Path, new Dictionary<string, string>());
        Assert.Empty(await ModelDecisionsAsync(none.Path, deterministic.Services));

        await using (var server = new FakeAnthropicServer { Responder = Answer })
        {
            var live = await RunAsync(recorded.Path, new Dictionary<string, string>
            {
                ["MODERNIZE__LLM__PROVIDER"] = "anthropic",
                ["MODERNIZE__LLM__MODEL"] = "claude-sonnet-4-5",
                ["MODERNIZE__LLM__ENDPOINT"] = server.BaseUrl.ToString(),
                ["ANTHROPIC_API_KEY"] = ApiKey,
                ["MODERNIZE_LLM_RECORD"] = recordings.Path,
            });
            Assert.NotEmpty(server.Received);
            Assert.Equal(deterministic.States, live.States);
        }

        Assert.NotEmpty(Directory.GetFiles(recordings.Path, "*.jsonl"));
        // No key and no endpoint: a replayed run never reaches a model.
        var replay = await RunAsync(replayed.Path, new Dictionary<string, string>
        {
            ["MODERNIZE__LLM__PROVIDER"] = "anthropic",
            ["MODERNIZE__LLM__MODEL"] = "claude-sonnet-4-5",
            ["MODERNIZE_LLM_REPLAY"] = recordings.Path,
        });

        Assert.Equal(deterministic.Exit, replay.Exit);
        Assert.Equal(deterministic.States, replay.States);
        var modelPath = await ModelDecisionsAsync(replayed.Path, replay.Services);
        output.WriteLine(replay.States);
        output.WriteLine(string.Join("\n", modelPath.GroupBy(d => d.GetProperty("role").GetString() + "/" + d.GetProperty("kind").GetString()).Select(g => $"{g.Key}: {g.Count()}")));
        // The sample's judgment steps of every tier that runs: prioritization and code review at least.
        Assert.Contains(modelPath, d => d.GetProperty("role").GetString() == "prioritization_orchestrator");
        Assert.Contains(modelPath, d => d.GetProperty("role").GetString() == "code_reviewer");
        Assert.All(modelPath, d =>
        {
            Assert.True(d.GetProperty("tokens").GetInt64() > 0, d.ToString());
            Assert.True(d.GetProperty("cost_usd").GetDecimal() > 0m, d.ToString());
            Assert.Matches("^[0-9a-f]{64}$", d.GetProperty("instructions_hash").GetString()!);
        });

        var (statusExit, status) = await CliRunner.RunAsync(replay.Services, "status", "-w", replayed.Path, "--json");
        Assert.Equal(0, statusExit);
        using (var report = JsonDocument.Parse(status))
        {
            var spent = report.RootElement.GetProperty("jobs").EnumerateArray()
                .Where(j => j.GetProperty("tokens").GetInt64() > 0 && j.GetProperty("cost_usd").GetDecimal() > 0m).ToArray();
            var jobsWithModelDecisions = modelPath.Select(d => d.GetProperty("job_id").GetString()).OfType<string>().Distinct().ToArray();
            Assert.All(jobsWithModelDecisions, job => Assert.Contains(spent, j => j.GetProperty("job_id").GetString() == job));
        }

        Assert.Equal(0, (await CliRunner.RunAsync(replay.Services, "decisions", "-w", replayed.Path, "--verify")).Exit);
    }

    private static async Task<RunResult> RunAsync(string workspace, Dictionary<string, string> environment)
    {
        var services = new ModernizeServices(
            RoleRegistrations.CreateDefault(name => environment.GetValueOrDefault(name)), null, TimeProvider.System, environment);
        // Tiers 1-2 hold the judgment steps this test follows; the later tiers have their own tests.
        var (exit, output) = await CliRunner.RunAsync(services, "run", "--workspace", workspace, "--phase", "2", "--json");
        Assert.True(exit is 0 or 1, output);
        using var run = JsonDocument.Parse(output);
        var states = run.RootElement.GetProperty("jobs").EnumerateArray()
            .Select(j => $"{j.GetProperty("job_id").GetString()}: {j.GetProperty("state").GetString()} at {j.GetProperty("stage")}")
            .Append("portfolio: " + run.RootElement.GetProperty("portfolio"))
            .Order(StringComparer.Ordinal).ToArray();
        return new RunResult(exit, string.Join("\n", states), services);
    }

    /// <summary>Judgment decisions a model took part in (its answer, rejected or not, is what carries spend).</summary>
    private static async Task<JsonElement[]> ModelDecisionsAsync(string workspace, ModernizeServices services)
    {
        var (exit, output) = await CliRunner.RunAsync(services, "decisions", "-w", workspace, "--json");
        Assert.Equal(0, exit);
        using var log = JsonDocument.Parse(output);
        return [.. log.RootElement.GetProperty("decisions").EnumerateArray()
            .Where(d => d.GetProperty("instructions_hash").ValueKind == JsonValueKind.String
                && d.GetProperty("kind").GetString() is not ("model_output_rejected" or "limit_reached"))
            .Select(d => d.Clone())];
    }

    /// <summary>A fake model answering each role's judgment question with a schema-valid answer that cites
    /// the first reference it was given.</summary>
    private static FakeAnthropicServer.Reply Answer(FakeAnthropicServer.ReceivedRequest request)
    {
        var question = request.Json["messages"]!.AsArray()[0]!["content"] is JsonArray blocks
            ? string.Concat(blocks.Select(b => b!["text"]?.GetValue<string>() ?? string.Empty))
            : request.Json["messages"]![0]!["content"]!.GetValue<string>();
        const string open = "source=\"input\">>>\n";
        var start = question.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var end = question.IndexOf("\n<<<END DATA>>>", start, StringComparison.Ordinal);
        var envelope = JsonNode.Parse(question[start..end])!;
        var input = envelope["input"]!;
        var evidence = new JsonArray(envelope["known_evidence"]!.AsArray().First()!.GetValue<string>());
        JsonObject answer = question switch
        {
            _ when question.StartsWith("Which interpretation", StringComparison.Ordinal) => new()
            {
                ["chosen_interpretation"] = input["interpretations"]![0]!.GetValue<string>(),
                ["rationale"] = "consistent with the profile",
            },
            _ when question.StartsWith("Is this schema difference", StringComparison.Ordinal) => new()
            {
                ["classification"] = "intentional_transformation",
                ["rationale"] = "the code casts the column",
            },
            _ when question.StartsWith("Are these mismatched rows", StringComparison.Ordinal) => new()
            {
                ["classification"] = "regression",
                ["rationale"] = "the rewrite changed values",
            },
            _ when question.StartsWith("Write the justification", StringComparison.Ordinal) => new()
            {
                ["justification"] = "Model-phrased: ranks here for its cost and failure factors.",
            },
            _ when question.StartsWith("Name and state the business rule", StringComparison.Ordinal) => new()
            {
                ["name"] = "Rule",
                ["statement"] = input["logic"]!.GetValue<string>(),
                ["regulatory"] = false,
                ["regulation"] = null,
            },
            _ when question.StartsWith("Phrase this specification section", StringComparison.Ordinal) => new()
            {
                ["text"] = "Model-phrased purpose " + string.Concat(input["requirement_ids"]!.AsArray().Select(id => $"[{id!.GetValue<string>()}]")),
                ["covered_requirement_ids"] = input["requirement_ids"]!.DeepClone(),
            },
            _ when question.StartsWith("Which edge cases does the test plan", StringComparison.Ordinal) => new()
            {
                ["cases"] = new JsonArray(),
            },
            _ => throw new InvalidOperationException("The fake model was asked an unexpected question: " + question[..Math.Min(80, question.Length)]),
        };
        answer["confidence"] = 0.8;
        answer["evidence_refs"] = evidence;
        return FakeAnthropicServer.Text(answer.ToJsonString(), input: 500, output: 40);
    }

    private static TempFolder Copy(string from)
    {
        var folder = new TempFolder();
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder.Path, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return folder;
    }

    private sealed record RunResult(int Exit, string States, ModernizeServices Services);
}
