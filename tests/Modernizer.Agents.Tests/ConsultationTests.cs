using Modernizer.Agents.Consultation;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Domain;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Tests;

/// <summary>X1: roles ask each other before anyone escalates; every exchange is a decision with evidence.</summary>
public sealed class ConsultationTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly WorkspacePaths _workspace;
    private readonly JobId _job = new("orders_daily");

    public ConsultationTests()
    {
        _workspace = new WorkspacePaths(_dir.Path);
        var output = _workspace.JobOutput(_job);
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "profile.json"), """
            {"tables":[{"table":"raw.orders","rows":100,"columns":[
              {"name":"qty","type":"INTEGER","count":100,"nulls":0},
              {"name":"coupon","type":"VARCHAR","count":100,"nulls":37}]}]}
            """);
        File.WriteAllText(Path.Combine(output, "analysis.json"), """
            {"job_id":"orders_daily","anti_patterns":[{"rule_id":"MOD001","file":"jobs/orders_daily/main.py","line":17,"message":"collect()"}],
             "suspected_defects":[{"id":"DEF-1","file":"jobs/orders_daily/main.py","line":42,"description":"off by one"}],"assumptions":[]}
            """);
    }

    private ConsultationBoard Board(int rounds = 3) =>
        new([new ProfileConsultant(_workspace), new AnalysisConsultant(_workspace)], rounds);

    [Fact]
    public async Task The_code_reviewer_asks_the_data_profiler_whether_a_column_is_ever_null()
    {
        var board = Board();

        var never = await board.AskAsync(StageId.CodeReview, new ColumnNullQuestion(RoleId.CodeReviewer, _job, "AMB-1", "orders", "qty"), CancellationToken.None);
        var sometimes = await board.AskAsync(StageId.CodeReview, new ColumnNullQuestion(RoleId.CodeReviewer, _job, "AMB-2", "raw.orders", "coupon"), CancellationToken.None);

        Assert.True(never.Answer.Answered);
        Assert.StartsWith("No:", never.Answer.Answer, StringComparison.Ordinal);
        Assert.Equal("jobs/orders_daily/profile.json#raw.orders.qty", Assert.Single(never.Answer.Evidence).Reference);
        Assert.StartsWith("Yes:", sometimes.Answer.Answer, StringComparison.Ordinal);
        Assert.Contains("37", sometimes.Answer.Answer, StringComparison.Ordinal);
        var decisions = board.DrainDecisions();
        Assert.Equal(2, decisions.Length);
        Assert.All(decisions, d =>
        {
            Assert.Equal("consultation", d.Kind);
            Assert.Equal(RoleId.CodeReviewer, d.Role);
            Assert.Equal("X1", d.Rule);
            Assert.NotEmpty(d.Evidence);
        });
    }

    [Fact]
    public async Task The_spec_writer_asks_the_code_reviewer_for_the_span_behind_a_rule()
    {
        var exchange = await Board().AskAsync(StageId.Spec, new RuleSpanQuestion(RoleId.SpecWriter, _job, "REQ-4", "DEF-1"), CancellationToken.None);

        Assert.True(exchange.Answer.Answered);
        Assert.Equal("jobs/orders_daily/main.py:42", Assert.Single(exchange.Answer.Evidence).Reference);
        Assert.Equal(EvidenceKind.CodeSpan, exchange.Answer.Evidence[0].Kind);
        Assert.Equal(RoleId.SpecWriter, exchange.Decision.Role);
    }

    [Fact]
    public async Task A_question_without_facts_is_answered_as_unknown_not_invented()
    {
        var exchange = await Board().AskAsync(StageId.CodeReview, new ColumnNullQuestion(RoleId.CodeReviewer, _job, "AMB-3", "raw.orders", "no_such_column"), CancellationToken.None);

        Assert.False(exchange.Answer.Answered);
        Assert.Equal(0, exchange.Answer.Confidence.Value);
        Assert.Empty(exchange.Answer.Evidence);
    }

    [Fact]
    public async Task Rounds_per_ambiguity_are_bounded_so_the_policy_may_escalate()
    {
        var board = Board(rounds: 2);
        var question = new ColumnNullQuestion(RoleId.CodeReviewer, _job, "AMB-9", "raw.orders", "qty");

        await board.AskAsync(StageId.CodeReview, question, CancellationToken.None);
        var second = await board.AskAsync(StageId.CodeReview, question, CancellationToken.None);
        var third = await board.AskAsync(StageId.CodeReview, question, CancellationToken.None);
        var otherAmbiguity = await board.AskAsync(StageId.CodeReview, question with { AmbiguityId = "AMB-10" }, CancellationToken.None);

        Assert.False(second.RoundsExhausted);
        Assert.True(third.RoundsExhausted);
        Assert.False(third.Answer.Answered);
        Assert.Equal("consultation_rounds_exhausted", third.Decision.Kind);
        Assert.True(otherAmbiguity.Answer.Answered);
    }

    [Fact]
    public async Task The_board_is_offered_to_models_as_tools_that_log_their_exchanges()
    {
        var board = Board();
        var tool = board.ToolsFor(RoleId.CodeReviewer, _job, StageId.CodeReview, "AMB-1").Single(t => t.Name == "ask_data_profiler");

        var answer = await tool.InvokeAsync(new Microsoft.Extensions.AI.AIFunctionArguments { ["table"] = "raw.orders", ["column"] = "coupon" });

        Assert.Contains("37 nulls", answer!.ToString(), StringComparison.Ordinal);
        Assert.Single(board.DrainDecisions());
    }

    public void Dispose() => _dir.Dispose();
}
