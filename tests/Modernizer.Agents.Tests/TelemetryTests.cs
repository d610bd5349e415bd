using System.Collections.Concurrent;
using System.Diagnostics;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Telemetry;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Model_calls_emit_GenAI_spans_with_model_provider_and_token_usage_under_role_spans()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AgentTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = new FakeAnthropicServer();
        server.Enqueue(FakeAnthropicServer.Text(Gateways.ValidResolution, input: 321, output: 45));
        using var telemetry = new AgentTelemetry();
        using var gateway = Gateways.Anthropic(Gateways.AnthropicAt(server.BaseUrl), telemetry);

        using (telemetry.StartRole(RoleId.CodeReviewer, StageId.CodeReview, Gateways.Job))
        {
            await new JudgmentRunner(gateway).AskAsync(new CodeReviewerRole(), Gateways.AmbiguityRequest(), CancellationToken.None);
        }

        // The listener hears every test's spans; this test's are the role span it started and its children.
        var role = Assert.Single(spans, s => (string?)s.GetTagItem("gen_ai.operation.name") == "invoke_agent" && s.TraceId != default
            && (string?)s.GetTagItem("modernizer.job_id") == Gateways.Job.Value && s.Parent is null);
        var chat = Assert.Single(spans, s => (string?)s.GetTagItem("gen_ai.operation.name") == "chat" && s.ParentSpanId == role.SpanId);
        Assert.Equal("claude-sonnet-4-5", chat.GetTagItem("gen_ai.request.model"));
        Assert.Equal(321, Convert.ToInt32(chat.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(45, Convert.ToInt32(chat.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(chat.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("code_reviewer", role.GetTagItem("gen_ai.agent.name"));
        Assert.DoesNotContain(spans.SelectMany(s => s.Tags), t => t.Value?.Contains(Gateways.TestKey, StringComparison.Ordinal) == true);
    }
}
