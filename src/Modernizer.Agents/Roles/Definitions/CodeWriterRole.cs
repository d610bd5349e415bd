using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Roles.Definitions;

/// <summary>R4.1 judgment input: an Opaque part of the plan (Python logic the lifter could not turn into
/// set-based operations), its source span and the schema around it.</summary>
public sealed record OpaquePartInput(string PartId, string Span, string PythonSource, ImmutableArray<string> InputColumns, ImmutableArray<string> OutputColumns);

/// <summary>R4.1 judgment: set-based Spark SQL proposed for the Opaque part; the engine parses and checks it.</summary>
public sealed record OpaqueRewriteProposal(string SparkSql, string Rationale, double Confidence, ImmutableArray<string> EvidenceRefs) : IModelJudgment;

/// <summary>Code Writer (R4.1): rewrite to Spark SQL under P1 and P2 (no loops over rows), idempotent,
/// incremental where the legacy job is, partitioned, logged; below-80% assumptions made swappable.</summary>
public sealed partial class CodeWriterRole : RoleSpec<OpaquePartInput, OpaqueRewriteProposal>
{
    public override RoleId Role => RoleId.CodeWriter;

    public override string InstructionsVersion => "1.0.0";

    public override string Instructions => """
        You rewrite legacy ETL logic as set-based Spark SQL. The product's rewriter handles everything it can
        lift from the plan; you are asked only for a part it could not lift (an Opaque part: Python logic with
        loops over rows, collect(), toPandas(), row-by-row UDFs). Propose one Spark SQL SELECT over the given
        input columns that produces exactly the output columns with exactly the same values as the Python code,
        including its quirks. Use built-in functions, CASE, window functions and aggregates; no UDFs, no loops.
        """;

    public override string JudgmentQuestion => "Propose set-based Spark SQL that reproduces this Opaque part exactly.";

    public override ImmutableArray<string> AllowedTools => [];

    public override string? Validate(OpaquePartInput input, OpaqueRewriteProposal output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!SelectStart().IsMatch(output.SparkSql))
        {
            return "spark_sql must be a single SELECT (or WITH ... SELECT) statement.";
        }

        if (Forbidden().Match(output.SparkSql) is { Success: true } bad)
        {
            return $"spark_sql uses '{bad.Value}', which is not allowed in a set-based rewrite.";
        }

        return output.SparkSql.TrimEnd().TrimEnd(';').Contains(';', StringComparison.Ordinal) ? "spark_sql must be one statement." : null;
    }

    [GeneratedRegex(@"^\s*(SELECT|WITH)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SelectStart();

    [GeneratedRegex(@"\b(INSERT|DELETE|UPDATE|MERGE|DROP|CREATE|ALTER|TRUNCATE|CALL|collect|toPandas|udf)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Forbidden();
}
