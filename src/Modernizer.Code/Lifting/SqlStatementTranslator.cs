using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting;

/// <summary>Where a job's parameters come from and what they hold by default: job.yaml first (what the
/// scheduler passes), then defaults written in the code (widgets, conf defaults).</summary>
public sealed class ParameterBinder(IReadOnlyDictionary<string, string?> jobParameters, JobTranslation translation)
{
    private readonly Dictionary<string, string?> _codeDefaults = new(StringComparer.Ordinal);

    public JobTranslation Translation => translation;

    /// <summary>A default declared in the code (a widget, a conf default) for a name job.yaml may override.</summary>
    public void DeclareDefault(string name, string? value) => _codeDefaults.TryAdd(name, value);

    public bool IsKnown(string name) => jobParameters.ContainsKey(name) || _codeDefaults.ContainsKey(name);

    /// <summary>The value the legacy job runs with by default.</summary>
    public string? DefaultOf(string name) =>
        jobParameters.TryGetValue(name, out var scheduled) ? scheduled : _codeDefaults.GetValueOrDefault(name);

    /// <summary>The parameter as a typed plan expression (a named marker), registered with the rewrite.</summary>
    public Expr Use(string name, SparkType type, string source)
    {
        translation.AddParameter(new RewriteParameter(name, SparkType.String, DefaultOf(name), source));
        Expr marker = new Placeholder(name, PlaceholderStyle.Colon);
        return type is StringType ? marker : new Cast(marker, type);
    }
}

/// <summary>Translates Spark SQL statements (a .sql job, a %sql cell, the text of spark.sql) into the
/// job's writes: INSERT [OVERWRITE], CREATE TABLE [AS], MERGE, DROP; temporary views are kept by the
/// planner and inlined where used. Widget references (<c>${name}</c>) become the job's parameters.</summary>
internal sealed partial class SqlStatementTranslator(ParameterBinder parameters)
{
    private JobTranslation Translation => parameters.Translation;

    /// <summary>Translates a script; returns the plan of its last query statement, if any (spark.sql returns it).</summary>
    public PlanNode? Translate(string sql, string file, int firstLine)
    {
        PlanNode? last = null;
        foreach (var (plan, line) in Plan(sql, new Dictionary<string, Python.SqlScalar>(StringComparer.Ordinal), file, firstLine))
        {
            last = Apply(plan, file, line, null, []) ?? last;
        }

        return last;
    }

    /// <summary>Parses and plans each statement; holes (values spliced into the text at run time,
    /// written as markers in <paramref name="sql"/>) and widget references become expressions.</summary>
    public IReadOnlyList<(PlanNode Plan, int Line)> Plan(string sql, IReadOnlyDictionary<string, Python.SqlScalar> holes, string file, int firstLine)
    {
        ParseResult parsed;
        try
        {
            parsed = SparkSqlParser.Parse(sql);
        }
        catch (SqlSyntaxException error)
        {
            throw new RewriteRefusedException("SQL the rewriter cannot parse: " + error.Message, file, firstLine);
        }

        var plans = new List<(PlanNode, int)>();
        foreach (var statement in parsed.Statements)
        {
            var line = firstLine + Math.Max(0, statement.Span.Line - 1);
            PlanNode plan;
            try
            {
                plan = Translation.Sql.Plan(statement);
            }
            catch (Exception error) when (error is InvalidOperationException or ArgumentException or SqlSyntaxException)
            {
                throw new RewriteRefusedException("SQL the rewriter cannot plan: " + error.Message, file, line);
            }

            plans.Add((BindParameters(plan, holes, file, line), line));
        }

        return plans;
    }

    /// <summary>Applies one planned statement to the job: a view is kept, a write becomes a write step
    /// (conditional on <paramref name="guard"/>, with the pending output checks); a query is returned.</summary>
    public PlanNode? Apply(PlanNode plan, string file, int line, Expr? guard, IReadOnlyList<Python.PendingCheck> checks)
    {
        switch (plan)
        {
            case DefineView view:
                Translation.Sql.RegisterView(view.Name.ToString(), view.Input);
                return null;
            case Write { Mode: WriteMode.Ignore, Input: Values { Rows.Count: 0 } }:
                // CREATE TABLE IF NOT EXISTS t (...): the rewrite creates every target with its legacy schema.
                return null;
            case Write write:
                Translation.Write(write.Target.ToString(), Step(write, file, line) with { Guard = guard, Checks = [.. checks.Select(c => new RewriteCheck(c.Message, c.When, c.Line))] });
                return null;
            case Opaque { Reason: "DROP TABLE", Text: { } table }:
                Translation.Write(table, new WriteStep(WriteStepKind.Drop, null, file, line) { Guard = guard });
                return null;
            case Opaque { PassThrough: true }:
                // SET, OPTIMIZE, VACUUM, CACHE...: no effect on the rows.
                return null;
            case Opaque opaque:
                throw new RewriteRefusedException("a SQL statement without a relational meaning: " + opaque.Reason, file, line);
            default:
                return plan;
        }
    }

    private WriteStep Step(Write write, string file, int line)
    {
        var target = write.Target.ToString();
        switch (write.Mode)
        {
            case WriteMode.Overwrite when !write.StaticPartitions.IsEmpty || (!write.PartitionColumns.IsEmpty && !write.CreatesTable):
                throw new RewriteRefusedException($"a partition overwrite of {target} (dynamic or static partitions)", file, line);
            case WriteMode.Overwrite or WriteMode.ErrorIfExists:
                return new WriteStep(WriteStepKind.Overwrite, Positional(write, target), file, line) { PartitionBy = [.. write.PartitionColumns] };
            case WriteMode.Append:
                return new WriteStep(WriteStepKind.Append, Positional(write, target), file, line) { PartitionBy = [.. write.PartitionColumns] };
            case WriteMode.Merge:
                var source = write.Input is SubqueryAlias alias && alias.Alias == write.Merge?.SourceAlias ? alias.Input : write.Input;
                return new WriteStep(WriteStepKind.Merge, source, file, line) { Merge = write.Merge };
            default:
                throw new RewriteRefusedException($"a {write.Mode.ToString().ToUpperInvariant()} of {target} in SQL (row-level statements are lifted only in their loop patterns)", file, line);
        }
    }

    /// <summary>INSERT matches columns by position (or by its column list): the rows get the target's names.</summary>
    private PlanNode Positional(Write write, string target)
    {
        if (write.CreatesTable || write.ByName)
        {
            return write.Input;
        }

        var names = !write.Columns.IsEmpty
            ? write.Columns.Items
            : Translation.Schemas?.GetSchema(write.Target)?.Columns.Items.Select(c => c.Name).ToImmutableArray() ?? [];
        var schema = PlanSchema.Of(write.Input);
        if (names.IsEmpty || !schema.IsKnown || names.Length != schema.Count)
        {
            return write.Input;
        }

        var renamed = schema.Columns.Items.Select((column, i) => (Expr)new Alias(
            new ColumnRef([new NamePart(column.Name)]) { Binding = new ColumnBinding(null, column.Name, column.Type, column.Nullable) }, names[i]));
        return schema.Columns.Items.Select(c => c.Name).SequenceEqual(names, StringComparer.OrdinalIgnoreCase)
            ? write.Input
            : new Project(new SubqueryAlias(write.Input, "_insert"), [.. renamed]);
    }

    /// <summary><c>'${name}'</c> inside a literal and a bare <c>${name}</c> are the widget's value,
    /// substituted as text by Databricks: they become the job's parameters. Holes of run-time values
    /// (<see cref="SqlHoles"/>) become their expressions.</summary>
    private PlanNode BindParameters(PlanNode plan, IReadOnlyDictionary<string, Python.SqlScalar> holes, string file, int line) =>
        PlanTree.TransformUp(plan, node => PlanExpressionMap.Map(node, expr => ExprTree.TransformUp(expr, e => e switch
        {
            Literal { Kind: LiteralKind.String } literal when holes.Count > 0 && literal.Value.Contains(SqlHoles.Prefix, StringComparison.Ordinal) => SqlHoles.InLiteral(literal.Value, holes, file, line),
            ColumnRef { Parts.Count: 1 } reference when holes.TryGetValue(reference.Parts[0].Text, out var hole) => SqlHoles.AsCode(hole, file, line),
            Literal { Kind: LiteralKind.String } literal when literal.Value.Contains("${", StringComparison.Ordinal) => Interpolated(literal.Value, file, line),
            Placeholder placeholder => Bare(placeholder.Name, file, line),
            _ => null,
        }).Value)).Value;

    private Expr Interpolated(string text, string file, int line)
    {
        var parts = new List<Expr>();
        var position = 0;
        foreach (Match match in WidgetReference().Matches(text))
        {
            if (match.Index > position)
            {
                parts.Add(Literal.Of(text[position..match.Index]));
            }

            parts.Add(Parameter(match.Groups[1].Value, SparkType.String, file, line));
            position = match.Index + match.Length;
        }

        if (position < text.Length)
        {
            parts.Add(Literal.Of(text[position..]));
        }

        return parts.Count == 1 ? parts[0] : new FunctionCall("concat", parts.ToEquatableArray());
    }

    /// <summary>A bare reference is substituted as SQL text; its default decides its type (7 → INT).</summary>
    private Expr Bare(string name, string file, int line)
    {
        var value = parameters.DefaultOf(name);
        var type = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number is >= int.MinValue and <= int.MaxValue ? SparkType.Int : SparkType.Long
            : decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? SparkType.Double : SparkType.String;
        return Parameter(name, type, file, line);
    }

    private Expr Parameter(string name, SparkType type, string file, int line)
    {
        if (!parameters.IsKnown(name))
        {
            throw new RewriteRefusedException($"the SQL references ${{{name}}}, which is no widget or job parameter", file, line);
        }

        return parameters.Use(name, type, "widget");
    }

    [GeneratedRegex(@"\$\{(\w+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex WidgetReference();
}
