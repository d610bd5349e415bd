using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>A table as the model is shown it: its name and its columns with their Spark types.</summary>
public sealed record TableShape(string Table, ImmutableArray<string> Columns);

/// <summary>A construct the deterministic lifter refused, with its span (<c>jobs/&lt;job&gt;/main.py:263</c>).</summary>
public sealed record RefusedSpan(string Span, string Reason);

/// <summary>R4.1 judgment input: a job the lifter could not rewrite exactly, the spans it refused, the
/// tables the job reads and writes, and what the gates said about earlier proposals (X4).</summary>
public sealed record JobRewriteInput(
    string JobId,
    ImmutableArray<RefusedSpan> Refused,
    ImmutableArray<TableShape> Inputs,
    ImmutableArray<TableShape> Targets,
    ImmutableArray<string> EarlierAttempts);

/// <summary>One target's rows as one Spark SQL query, and how they reach the table.</summary>
/// <param name="Mode"><c>overwrite</c> (the table becomes these rows) or <c>append</c> (added to it).</param>
public sealed record TargetQuery(string Table, string Mode, string SelectSql);

/// <summary>R4.1 judgment: a plan-level set-based rewrite of the whole job, one query per target. The
/// engine parses and plans it, renders it itself, runs it in the sandbox and reconciles it exactly.</summary>
public sealed record SetBasedRewriteProposal(ImmutableArray<TargetQuery> Targets, string Rationale, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Code Writer (R4.1): rewrite to Spark SQL under P1 and P2 (no loops over rows). The lifter
/// rewrites what it can prove; the model is asked only for a job the lifter refused, and its answer must
/// pass the same gates (parse, plan, zero loops, sandbox run, exact reconciliation) to be delivered.</summary>
public sealed partial class CodeWriterRole : RoleSpec<JobRewriteInput, SetBasedRewriteProposal>
{
    public static readonly ImmutableArray<string> Modes = ["overwrite", "append"];

    public override RoleId Role => RoleId.CodeWriter;

    public override string InstructionsVersion => "2.0.0";

    public override string Instructions => """
        You rewrite a legacy ETL job as set-based Spark SQL. The product's deterministic rewriter has already
        tried and refused the job at the spans listed in refused; you see the legacy code as data. For every
        target table, give one Spark SQL query (SELECT, or WITH ... SELECT) over the input tables, by their full
        names, that returns exactly the rows the legacy job leaves in that table, with exactly the same values,
        including its quirks and suspected bugs: Python's rounding, integer division, None handling and string
        forms where the legacy code computes in Python, Spark's where it computes in Spark. Use built-in
        functions, CASE, joins, window functions and aggregates; no UDFs, no loops, no statements that change
        data. Give the columns in the target's order. mode is overwrite when the table's content becomes the
        query's rows, append when they are added to what the table held before the run. Job parameters are
        written ${name}. Where an earlier attempt is listed, it was run and compared with the legacy output:
        correct what it says.
        """;

    public override string JudgmentQuestion => "Propose one set-based Spark SQL query per target that reproduces this job's output exactly.";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(JobRewriteInput input, SetBasedRewriteProposal output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (output.Targets.IsDefaultOrEmpty)
        {
            return "targets is empty: give one query per target table.";
        }

        var expected = input.Targets.Select(t => t.Table).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var given = output.Targets.Select(t => t.Table).ToArray();
        if (given.Distinct(StringComparer.OrdinalIgnoreCase).Count() != given.Length)
        {
            return "each target table must appear once.";
        }

        if (given.FirstOrDefault(t => !expected.Contains(t)) is { } unknown)
        {
            return $"{unknown} is not a target of the job; the targets are {string.Join(", ", expected.Order(StringComparer.Ordinal))}.";
        }

        if (expected.FirstOrDefault(t => !given.Contains(t, StringComparer.OrdinalIgnoreCase)) is { } missing)
        {
            return $"the target {missing} has no query.";
        }

        foreach (var target in output.Targets)
        {
            if (!Modes.Contains(target.Mode, StringComparer.Ordinal))
            {
                return $"mode of {target.Table} must be one of {string.Join(", ", Modes)}.";
            }

            if (!SelectStart().IsMatch(target.SelectSql))
            {
                return $"select_sql of {target.Table} must be a single SELECT (or WITH ... SELECT) query.";
            }

            if (Forbidden().Match(target.SelectSql) is { Success: true } bad)
            {
                return $"select_sql of {target.Table} uses '{bad.Value}', which is not allowed in a set-based rewrite.";
            }

            if (target.SelectSql.TrimEnd().TrimEnd(';').Contains(';', StringComparison.Ordinal))
            {
                return $"select_sql of {target.Table} must be one statement.";
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\s*(SELECT|WITH)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SelectStart();

    [GeneratedRegex(@"\b(INSERT|DELETE|UPDATE|MERGE|DROP|CREATE|ALTER|TRUNCATE|CALL|COPY|ATTACH|INSTALL|LOAD|PRAGMA|collect|toPandas|udf)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Forbidden();
}
