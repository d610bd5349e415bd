using System.Collections.Immutable;
using Modernizer.Domain;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Consultation;

/// <summary>A typed question from one role to another about one job (X1). <see cref="AmbiguityId"/> groups
/// the questions asked to resolve one ambiguity, whose rounds are bounded.</summary>
public abstract record ConsultationQuestion(RoleId From, RoleId To, JobId Job, string AmbiguityId)
{
    /// <summary>The question in words, for the decision log.</summary>
    public abstract string Text { get; }
}

/// <summary>Code Reviewer (or another role) to Data Profiler: "is column C of table T ever null?"</summary>
public sealed record ColumnNullQuestion(RoleId From, JobId Job, string AmbiguityId, string Table, string Column)
    : ConsultationQuestion(From, RoleId.DataProfiler, Job, AmbiguityId)
{
    public override string Text => $"Is column {Column} of {Table} ever null?";
}

/// <summary>Spec Writer (or Requirements Inferencer) to Code Reviewer: "which span implements rule R?"</summary>
public sealed record RuleSpanQuestion(RoleId From, JobId Job, string AmbiguityId, string RuleId)
    : ConsultationQuestion(From, RoleId.CodeReviewer, Job, AmbiguityId)
{
    public override string Text => $"Which code span implements {RuleId}?";
}

/// <summary>An answer with its evidence. <see cref="Answered"/> is false when the answering role has no
/// fact to give (its artifact is missing, the column is unknown); the asker then keeps its ambiguity.</summary>
public sealed record ConsultationAnswer(bool Answered, string Answer, Confidence Confidence, ImmutableArray<Evidence> Evidence)
{
    public static ConsultationAnswer Unknown(string why) => new(false, why, new Confidence(0), []);
}

/// <summary>A role that answers questions, deterministically from its engine's artifacts.</summary>
public interface IConsultant
{
    RoleId Role { get; }

    bool CanAnswer(ConsultationQuestion question);

    Task<ConsultationAnswer> AnswerAsync(ConsultationQuestion question, CancellationToken cancellationToken);
}
