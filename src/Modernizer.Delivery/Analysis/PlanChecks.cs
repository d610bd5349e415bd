using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Delivery.Rewrites;

namespace Modernizer.Delivery.Analysis;

/// <summary>Our own checks on the rewrite's Spark SQL (R4.2), read from the code plane's tokens so
/// that Databricks statements its parser does not model (REPLACE WHERE) are checked too:
/// <list type="bullet">
/// <item>PLAN01 no <c>SELECT *</c> into a target (the output would change with the source schema);</item>
/// <item>PLAN02 explicit column lists on INSERT and in MERGE actions;</item>
/// <item>PLAN03 every overwrite of a partitioned target carries its partition predicate;</item>
/// <item>PLAN04 no hard-coded storage or workspace paths; PLAN05 no environment names;</item>
/// <item>PLAN06 arithmetic that is safe with ANSI mode on and off (division and modulo by a
/// value that may be zero go through <c>try_divide</c> / <c>try_mod</c> or a guard).</item>
/// </list></summary>
public static partial class PlanChecks
{
    public const string Tool = "modernizer-plan";

    private static readonly string[] Environments = ["dev", "development", "prod", "prd", "production", "staging", "stg", "qa", "uat", "test", "sandbox"];

    public static ImmutableArray<Finding> Run(string file, string sql, IReadOnlyList<RewriteTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var name = Path.GetFileName(file);
        ImmutableArray<Token> tokens;
        try
        {
            tokens = SparkSqlParser.Tokenize(sql);
        }
        catch (SqlSyntaxException e)
        {
            return [new Finding(Tool, "PLAN00", Severity.Error, name, e.Errors.FirstOrDefault()?.Span.Line, "the SQL does not tokenize: " + e.Message)];
        }

        var findings = ImmutableArray.CreateBuilder<Finding>();
        var dynamicOverwrite = Regex.IsMatch(sql, @"partitionOverwriteMode\s*=\s*'?dynamic", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        foreach (var statement in Statements(tokens))
        {
            CheckStatement(name, statement, targets, dynamicOverwrite, findings);
        }

        CheckLiterals(name, tokens, findings);
        CheckNames(name, tokens, findings);
        CheckArithmetic(name, tokens, findings);
        return findings.ToImmutable();
    }

    private static IEnumerable<ImmutableArray<Token>> Statements(ImmutableArray<Token> tokens)
    {
        var current = ImmutableArray.CreateBuilder<Token>();
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.EndOfInput || token.IsSymbol(";"))
            {
                if (current.Count > 0)
                {
                    yield return current.ToImmutable();
                }

                current.Clear();
                continue;
            }

            current.Add(token);
        }
    }

    /// <summary>INSERT INTO|OVERWRITE [TABLE] name (col, ...) ...: a column list right after the table name.</summary>
    private static bool ListsInsertColumns(ImmutableArray<Token> s)
    {
        var i = 1;
        while (i < s.Length && (s[i].IsWord("INTO") || s[i].IsWord("OVERWRITE") || s[i].IsWord("TABLE")))
        {
            i++;
        }

        while (i < s.Length && (s[i].IsName || s[i].IsSymbol(".")))
        {
            i++;
        }

        return i + 1 < s.Length && s[i].IsSymbol("(") && s[i + 1].IsName && !s[i + 1].IsWord("SELECT") && !s[i + 1].IsWord("WITH");
    }

    private static void CheckStatement(string file, ImmutableArray<Token> s, IReadOnlyList<RewriteTarget> targets, bool dynamicOverwrite, ImmutableArray<Finding>.Builder findings)
    {
        var writes = s.Length > 0 && (s[0].IsWord("INSERT") || s[0].IsWord("MERGE") || s[0].IsWord("CREATE") || s[0].IsWord("REPLACE"));
        if (!writes)
        {
            return;
        }

        var isCtas = (s[0].IsWord("CREATE") || s[0].IsWord("REPLACE")) && s.Any(t => t.IsWord("AS"));
        if (s[0].IsWord("CREATE") && !isCtas)
        {
            return;
        }

        // PLAN01: a star in a select list of a statement that writes a target. A star inside a derived
        // table, or over one, under an INSERT that lists its columns, cannot carry a new source column into
        // the target: the list fixes what is written (a generated rewrite nests its steps that way); a
        // MERGE writes only what its actions name (PLAN02 asks for them explicitly).
        var listsColumns = (s[0].IsWord("INSERT") && ListsInsertColumns(s)) || s[0].IsWord("MERGE");
        var depth = 0;
        for (var i = 1; i < s.Length; i++)
        {
            depth += s[i - 1].IsSymbol("(") ? 1 : s[i - 1].IsSymbol(")") ? -1 : 0;
            if (!s[i].IsSymbol("*"))
            {
                continue;
            }

            if (listsColumns && (depth > 0 || (i + 2 < s.Length && s[i + 1].IsWord("FROM") && s[i + 2].IsSymbol("("))))
            {
                continue;
            }

            var previous = s[i - 1];
            var inSelectList = previous.IsWord("SELECT") || previous.IsWord("DISTINCT") || previous.IsSymbol(",") || (previous.IsSymbol(".") && i >= 2 && s[i - 2].IsName);
            var mergeStar = previous.IsWord("INSERT") || previous.IsWord("SET");
            if (mergeStar)
            {
                findings.Add(new Finding(Tool, "PLAN02", Severity.Error, file, s[i].Span.Line,
                    $"MERGE {previous.Text.ToUpperInvariant()} * takes every source column by position: list the target's columns explicitly"));
            }
            else if (inSelectList && (i + 1 >= s.Length || !s[i + 1].IsSymbol(")")))
            {
                findings.Add(new Finding(Tool, "PLAN01", Severity.Error, file, s[i].Span.Line,
                    "SELECT * into a target: the output changes when a source gains a column; list the target's columns"));
            }
        }

        if (s[0].IsWord("INSERT"))
        {
            CheckInsert(file, s, targets, dynamicOverwrite, findings);
        }
        else if (isCtas && TargetOf(s, 1) is { } created && Partitioned(created, targets) is { } target && s.Any(t => t.IsWord("REPLACE")))
        {
            findings.Add(new Finding(Tool, "PLAN03", Severity.Error, file, s[0].Span.Line,
                $"CREATE OR REPLACE TABLE {target.Table} AS SELECT rewrites every partition ({string.Join(", ", target.PartitionBy)}); use INSERT ... REPLACE WHERE with the partition predicate"));
        }
    }

    private static void CheckInsert(string file, ImmutableArray<Token> s, IReadOnlyList<RewriteTarget> targets, bool dynamicOverwrite, ImmutableArray<Finding>.Builder findings)
    {
        var overwrite = s.Length > 1 && s[1].IsWord("OVERWRITE");
        var index = 2;
        if (index < s.Length && s[index].IsWord("TABLE"))
        {
            index++;
        }

        var (table, after) = Name(s, index);
        if (table is null)
        {
            return;
        }

        index = after;
        var target = Partitioned(table, targets);
        var partitionValues = new List<(string Column, bool Static)>();
        if (index < s.Length && s[index].IsWord("PARTITION"))
        {
            var depth = 0;
            for (index++; index < s.Length; index++)
            {
                if (s[index].IsSymbol("("))
                {
                    depth++;
                }
                else if (s[index].IsSymbol(")"))
                {
                    if (--depth == 0)
                    {
                        index++;
                        break;
                    }
                }
                else if (depth == 1 && s[index].IsName && (s[index - 1].IsSymbol("(") || s[index - 1].IsSymbol(",")))
                {
                    partitionValues.Add((s[index].Text, index + 1 < s.Length && s[index + 1].IsSymbol("=")));
                }
            }
        }

        if (index + 1 < s.Length && s[index].IsWord("REPLACE") && s[index + 1].IsWord("WHERE"))
        {
            var predicate = s.Skip(index + 2).TakeWhile(t => !t.IsWord("SELECT") && !t.IsWord("WITH") && !t.IsWord("TABLE") && !t.IsWord("FROM")).ToArray();
            if (predicate.Length == 0 || predicate.All(t => t.IsWord("TRUE") || t.IsSymbol("(") || t.IsSymbol(")")))
            {
                findings.Add(new Finding(Tool, "PLAN03", Severity.Error, file, s[index].Span.Line, $"REPLACE WHERE on {table} has no predicate: it replaces the whole table"));
            }
            else if (target is not null && !predicate.Any(t => t.IsName && target.PartitionBy.Contains(t.Text, StringComparer.OrdinalIgnoreCase)))
            {
                findings.Add(new Finding(Tool, "PLAN03", Severity.Warning, file, s[index].Span.Line,
                    $"REPLACE WHERE on {table} does not name a partition column ({string.Join(", ", target.PartitionBy)}): the replaced rows are found by scanning, not by partition"));
            }

            return;
        }

        var columns = index < s.Length && s[index].IsSymbol("(") && index + 1 < s.Length && s[index + 1].IsName && !s[index + 1].IsWord("SELECT") && !s[index + 1].IsWord("WITH");
        var byName = index + 1 < s.Length && s[index].IsWord("BY") && s[index + 1].IsWord("NAME");
        if (!columns && !byName)
        {
            findings.Add(new Finding(Tool, "PLAN02", Severity.Error, file, s[0].Span.Line,
                $"INSERT into {table} without a column list: columns are matched by position; write INSERT INTO {table} (col, ...) or BY NAME"));
        }

        if (overwrite && target is not null)
        {
            if (partitionValues.Count == 0)
            {
                findings.Add(new Finding(Tool, "PLAN03", Severity.Error, file, s[0].Span.Line,
                    $"INSERT OVERWRITE {table} without its partition predicate replaces every partition ({string.Join(", ", target.PartitionBy)}); use PARTITION (col = :value) or REPLACE WHERE"));
            }
            else if (partitionValues.Any(p => !p.Static) && !dynamicOverwrite)
            {
                findings.Add(new Finding(Tool, "PLAN03", Severity.Error, file, s[0].Span.Line,
                    $"INSERT OVERWRITE {table} with a dynamic partition ({string.Join(", ", partitionValues.Where(p => !p.Static).Select(p => p.Column))}) replaces the whole table unless partitionOverwriteMode is dynamic; give the partition value or use REPLACE WHERE"));
            }
        }
    }

    private static void CheckLiterals(string file, ImmutableArray<Token> tokens, ImmutableArray<Finding>.Builder findings)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Kind == TokenKind.Word && token.Text.Equals("LOCATION", StringComparison.OrdinalIgnoreCase) && i + 1 < tokens.Length && tokens[i + 1].Kind == TokenKind.String)
            {
                findings.Add(new Finding(Tool, "PLAN04", Severity.Error, file, token.Span.Line,
                    $"LOCATION '{tokens[i + 1].Text}' pins the table to one storage path: let the catalog place it, or take the path from a parameter"));
                i++;
                continue;
            }

            if (token.Kind == TokenKind.QuotedIdentifier && PathPattern().IsMatch(token.Text))
            {
                findings.Add(new Finding(Tool, "PLAN04", Severity.Error, file, token.Span.Line,
                    $"reads the path `{token.Text}` directly: read the table by name"));
                continue;
            }

            if (token.Kind != TokenKind.String)
            {
                continue;
            }

            if (PathPattern().IsMatch(token.Text))
            {
                findings.Add(new Finding(Tool, "PLAN04", Severity.Error, file, token.Span.Line,
                    $"hard-coded path '{token.Text}': read tables by name, or pass the path as a job parameter"));
            }
            else if (Environments.Contains(token.Text.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                findings.Add(new Finding(Tool, "PLAN05", Severity.Error, file, token.Span.Line,
                    $"hard-coded environment name '{token.Text}': the same SQL runs in dev, staging and prod; take it from the bundle target"));
            }
        }
    }

    /// <summary>Catalog and schema parts of qualified names must not carry an environment (prod_sales.orders).</summary>
    private static void CheckNames(string file, ImmutableArray<Token> tokens, ImmutableArray<Finding>.Builder findings)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!tokens[i].IsName || (i > 0 && tokens[i - 1].IsSymbol(".")))
            {
                continue;
            }

            var (_, after) = Name(tokens, i);
            var parts = new List<Token>();
            for (var j = i; j < after; j += 2)
            {
                parts.Add(tokens[j]);
            }

            foreach (var part in parts.Take(parts.Count - 1))
            {
                var segments = part.Text.Split(['_', '-'], StringSplitOptions.RemoveEmptyEntries);
                if (segments.FirstOrDefault(s => Environments.Contains(s, StringComparer.OrdinalIgnoreCase)) is { } environment)
                {
                    findings.Add(new Finding(Tool, "PLAN05", Severity.Error, file, part.Span.Line,
                        $"'{string.Join('.', parts.Select(p => p.Text))}' names the environment '{environment}': the catalog or schema per environment belongs in the bundle target"));
                    break;
                }
            }

            i = Math.Max(i, after - 1);
        }
    }

    private static void CheckArithmetic(string file, ImmutableArray<Token> tokens, ImmutableArray<Finding>.Builder findings)
    {
        for (var i = 1; i + 1 < tokens.Length; i++)
        {
            var token = tokens[i];
            var divide = token.IsSymbol("/") || token.IsSymbol("%") || token.IsWord("DIV") || (token.IsWord("MOD") && !tokens[i + 1].IsSymbol("("));
            if (!divide || !Operand(tokens[i - 1]))
            {
                continue;
            }

            var right = tokens[i + 1];
            if ((right.Kind == TokenKind.Number && NonZero(right.Text)) || right.IsWord("NULLIF"))
            {
                // A non-zero literal, or nullif(b, 0): NULL instead of a zero divisor, with ANSI mode on or off.
                continue;
            }

            findings.Add(new Finding(Tool, "PLAN06", Severity.Error, file, token.Span.Line,
                $"'{token.Text}' by a value that may be zero: Spark returns NULL with ANSI mode off and fails with it on; write try_divide(a, b) (or try_mod) so both runtimes give the legacy NULL"));
        }

        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            if (tokens[i].IsWord("MOD") && tokens[i + 1].IsSymbol("("))
            {
                findings.Add(new Finding(Tool, "PLAN06", Severity.Error, file, tokens[i].Span.Line,
                    "mod(a, b) fails under ANSI mode when b is zero: write try_mod(a, b)"));
            }
        }
    }

    private static bool Operand(Token token) =>
        token.IsName || token.Kind is TokenKind.Number || token.IsSymbol(")") || token.Kind == TokenKind.String;

    private static bool NonZero(string number)
    {
        var digits = number.TrimEnd('L', 'l', 'D', 'd', 'F', 'f', 'S', 's', 'Y', 'y').Replace("BD", string.Empty, StringComparison.OrdinalIgnoreCase);
        return double.TryParse(digits, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value != 0;
    }

    /// <summary>A dotted name starting at <paramref name="index"/>: its text and the index after it.</summary>
    private static (string? Name, int After) Name(IReadOnlyList<Token> tokens, int index)
    {
        if (index >= tokens.Count || !tokens[index].IsName)
        {
            return (null, index);
        }

        var parts = new List<string> { tokens[index].Text };
        var i = index + 1;
        while (i + 1 < tokens.Count && tokens[i].IsSymbol(".") && tokens[i + 1].IsName)
        {
            parts.Add(tokens[i + 1].Text);
            i += 2;
        }

        return (string.Join('.', parts), i);
    }

    private static string? TargetOf(ImmutableArray<Token> s, int from)
    {
        for (var i = from; i < s.Length; i++)
        {
            if (s[i].IsWord("TABLE"))
            {
                var next = i + 1;
                if (next + 2 < s.Length && s[next].IsWord("IF") && s[next + 1].IsWord("NOT") && s[next + 2].IsWord("EXISTS"))
                {
                    next += 3;
                }

                return Name(s, next).Name;
            }
        }

        return null;
    }

    private static RewriteTarget? Partitioned(string table, IReadOnlyList<RewriteTarget> targets) =>
        targets.FirstOrDefault(t => !t.PartitionBy.IsDefaultOrEmpty && string.Equals(t.Table, table, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"^\s*(/mnt/|/dbfs/|dbfs:|s3a?://|s3n://|abfss?://|gs://|wasbs?://|adl://|hdfs://|file:/|/Volumes/|/Workspace/|/Users/|/tmp/|[A-Za-z]:\\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
