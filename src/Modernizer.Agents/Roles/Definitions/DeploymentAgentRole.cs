using System.Collections.Immutable;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R5.1 judgment input: what the pull request carries.</summary>
public sealed record PullRequestInput(string JobId, string ReconciliationStatus, double MatchRate, ImmutableArray<string> ChangedFiles, ImmutableArray<string> ArchitecturalImprovements);

/// <summary>R5.1 judgment: the pull request's description.</summary>
public sealed record PullRequestDescription(string Title, string Body, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Deployment Agent (R5.1): packages the code, manages the pull request, promotes across
/// environments; production only after reconciliation passed (checked in code, not by the model).</summary>
public sealed class DeploymentAgentRole : RoleSpec<PullRequestInput, PullRequestDescription>
{
    public override RoleId Role => RoleId.DeploymentAgent;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You describe a pull request that replaces a legacy ETL job with its rewrite. Write a short title and a
        body that states the reconciliation result exactly as given, lists the changed files and the
        architectural improvements (iterative processing replaced by set-based processing). You do not decide
        whether it may be promoted: the product checks that reconciliation passed.
        """;

    public override string JudgmentQuestion => "Write the pull request title and body.";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(PullRequestInput input, PullRequestDescription output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        return output.Body.Contains(input.ReconciliationStatus, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"the body must state the reconciliation status '{input.ReconciliationStatus}'.";
    }
}
