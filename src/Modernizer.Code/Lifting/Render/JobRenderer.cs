using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Code.Emit;
using Modernizer.Code.Lifting.Semantics;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Render;

/// <summary>The rendered files of a rewrite: the Spark SQL job and one DuckDB query per target.</summary>
public sealed record RenderedJob(string SparkSql, ImmutableSortedDictionary<string, string> DuckDbSql)
{
    /// <summary>Each target's write statement in the Spark rendering (what a lifted loop became).</summary>
    public ImmutableSortedDictionary<string, string> SparkWrites { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}

/// <summary>Prints a <see cref="JobProgram"/> in both dialects from the same plans (R4.1): Spark SQL,
/// the deliverable (idempotent writes, the legacy schema created when missing, legacy output checks
/// as assertions), and per target a DuckDB script that ends in one SELECT of the target's rows
/// (local validation). Every plan goes through <see cref="ExactLowering"/> for its dialect first.</summary>
public static class JobRenderer
{
    public static RenderedJob Render(JobProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var duck = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in program.Targets)
        {
            duck[target.Name] = RenderDuckDb(program, target);
        }

        var writes = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        return new RenderedJob(RenderSpark(program, writes), duck.ToImmutable()) { SparkWrites = writes.ToImmutable() };
    }

    private static LoweringOptions Options(JobProgram program) =>
        new(program.SessionTimeZone, program.Parameters.ToDictionary(p => p.Name, p => p.Type, StringComparer.Ordinal));

    public static string RenderSpark(JobProgram program) => RenderSpark(program, null);

    private static string RenderSpark(JobProgram program, IDictionary<string, string>? writes)
    {
        ArgumentNullException.ThrowIfNull(program);
        var lowering = new ExactLowering(Dialect.Spark, Options(program));
        var emitter = new SqlEmitter(Dialect.Spark);
        var body = new List<string>();
        foreach (var (name, plan) in program.Views)
        {
            body.Add(Print(new CreateViewStatement(TableName.Of(name), ViewKind.Temporary, emitter.ToQuery(lowering.Lower(plan))) { OrReplace = true }, Dialect.Spark));
        }

        foreach (var target in program.Targets)
        {
            body.Add(Print(CreateIfMissing(target), Dialect.Spark));
            var write = TargetWriteSpark(target, lowering, emitter);
            body.Add(write);
            writes?.Add(target.Name, write);
        }

        var text = new StringBuilder();
        Header(text, program, "Spark SQL for Databricks (the deliverable)");
        text.Append("SET TIME ZONE ").Append(Literal(program.SessionTimeZone, Dialect.Spark)).Append(";\n\n");
        foreach (var function in SemanticLibrary.Closure(lowering.LibraryFunctions))
        {
            text.Append("-- ").Append(function.Purpose).Append('\n').Append(function.Definition(Dialect.Spark)).Append(";\n\n");
        }

        foreach (var statement in body)
        {
            text.Append(statement).Append(";\n\n");
        }

        return text.ToString().TrimEnd() + "\n";
    }

    public static string RenderDuckDb(JobProgram program, RewriteTarget target)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(target);
        var lowering = new ExactLowering(Dialect.DuckDb, Options(program));
        var emitter = new SqlEmitter(Dialect.DuckDb);
        var body = new List<string>();
        if (target.ReadsItself || target.Write != TargetWrite.Overwrite)
        {
            // The job reads its own target: a session without it behaves as the legacy job's first run.
            body.Add("CREATE SCHEMA IF NOT EXISTS " + string.Join(".", target.Table.Parts.Items.SkipLast(1).Select(p => Dialect.DuckDb.QuoteIdentifier(p.Text))));
            body.Add(Print(CreateIfMissing(target) with { Using = null }, Dialect.DuckDb));
        }

        foreach (var (name, plan) in program.Views)
        {
            body.Add(Print(new CreateViewStatement(TableName.Of(name), ViewKind.Temporary, emitter.ToQuery(lowering.Lower(plan))) { OrReplace = true }, Dialect.DuckDb));
        }

        var rows = target.Write == TargetWrite.Merge ? lowering.Lower(target.Rows) : Conformed(target, lowering.Lower(target.Rows));
        var final = target.Write switch
        {
            TargetWrite.Overwrite => Guarded(emitter.ToQuery(rows), target, lowering, Dialect.DuckDb, emitter),
            TargetWrite.Append => Guarded(emitter.ToQuery(rows), target, lowering, Dialect.DuckDb, emitter) + "\nUNION ALL\nSELECT * FROM " + Name(target.Table, Dialect.DuckDb),
            TargetWrite.Merge => MergeQuery.Render(target, emitter.ToQuery(rows), lowering, Dialect.DuckDb),
            _ => throw new InvalidOperationException($"Unknown write {target.Write}."),
        };
        body.Add(final);

        var text = new StringBuilder();
        Header(text, program, $"DuckDB rendering of {target.Name} for local validation (same plan as {program.JobId}.sql); ends in one SELECT of the table's rows");
        foreach (var parameter in program.Parameters.Where(p => p.Default is not null))
        {
            text.Append("SET VARIABLE ").Append(Dialect.DuckDb.QuoteIdentifier(parameter.Name)).Append(" = COALESCE(getvariable(").Append(Literal(parameter.Name, Dialect.DuckDb)).Append("), ")
                .Append(Literal(parameter.Default!, Dialect.DuckDb)).Append(");\n");
        }

        if (program.Parameters.Any(p => p.Default is not null))
        {
            text.Append('\n');
        }

        foreach (var function in SemanticLibrary.Closure(lowering.LibraryFunctions))
        {
            text.Append("-- ").Append(function.Purpose).Append('\n').Append(function.Definition(Dialect.DuckDb)).Append(";\n\n");
        }

        foreach (var statement in body)
        {
            text.Append(statement).Append(";\n\n");
        }

        return text.ToString().TrimEnd() + "\n";
    }

    private static void Header(StringBuilder text, JobProgram program, string what)
    {
        text.Append("-- ").Append(program.JobId).Append(": ").Append(what).Append(".\n");
        text.Append("-- Written by Modernizer from the legacy job; set-based, no row loops (P2). Its output was reconciled\n");
        text.Append("-- row for row against the legacy output (P1): see rewrite.json and reconciliation.json.\n");
        foreach (var parameter in program.Parameters)
        {
            text.Append("-- parameter :").Append(parameter.Name).Append(' ').Append(parameter.Type.SqlText)
                .Append(" default ").Append(parameter.Default is null ? "NULL" : Quote(parameter.Default)).Append(" (").Append(parameter.Source).Append(")\n");
        }

        foreach (var assumption in program.Assumptions)
        {
            text.Append("-- assumption ").Append(assumption.Id).Append(" (")
                .Append(assumption.Confidence.ToString("0.00", CultureInfo.InvariantCulture)).Append("): ")
                .Append(OneLine(assumption.Statement)).Append('\n');
        }

        text.Append('\n');
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static CreateTableStatement CreateIfMissing(RewriteTarget target) => new(target.Table)
    {
        IfNotExists = true,
        Using = "DELTA",
        Columns = target.Schema.Columns.Select(c => new ColumnDefinition(c.Name, c.Type, c.Nullable)),
        PartitionedBy = target.PartitionBy.ToEquatableArray(),
    };

    private static string TargetWriteSpark(RewriteTarget target, ExactLowering lowering, SqlEmitter emitter)
    {
        // A merge's source has its own columns (a merge key, ...); the other writes write the target's.
        var rows = target.Write == TargetWrite.Merge ? lowering.Lower(target.Rows) : Conformed(target, lowering.Lower(target.Rows));
        var columns = target.Schema.Columns.Select(c => Dialect.Spark.QuoteIdentifier(c.Name));
        switch (target.Write)
        {
            case TargetWrite.Overwrite:
                return $"INSERT OVERWRITE TABLE {Name(target.Table, Dialect.Spark)} ({string.Join(", ", columns)})\n{Guarded(emitter.ToQuery(rows), target, lowering, Dialect.Spark, emitter)}";
            case TargetWrite.Append:
                return $"INSERT INTO {Name(target.Table, Dialect.Spark)} ({string.Join(", ", columns)})\n{Guarded(emitter.ToQuery(rows), target, lowering, Dialect.Spark, emitter)}";
            case TargetWrite.Merge:
                var merge = ExplicitColumns(target.Merge ?? throw new InvalidOperationException($"The merge into {target.Name} has no merge details."), target);
                var write = new Write(new SubqueryAlias(rows, merge.SourceAlias ?? "s"), target.Table, WriteMode.Merge) { Merge = merge };
                return Print(emitter.ToStatement(PlanExpressionMap.Map(write, lowering.Lower)), Dialect.Spark);
            default:
                throw new InvalidOperationException($"Unknown write {target.Write}.");
        }
    }

    /// <summary>UPDATE SET * and INSERT * spelled out over the target's columns (Delta matches them by
    /// name): the deliverable names every column it writes, and a later column added to the source
    /// cannot slip into the target.</summary>
    private static MergeSpec ExplicitColumns(MergeSpec merge, RewriteTarget target)
    {
        var source = merge.SourceAlias ?? "s";
        var names = target.Schema.Columns.Items.Select(c => c.Name).ToList();
        MergeAction Spell(MergeAction action) => action switch
        {
            MergeUpdate { IsStar: true } => new MergeUpdate(names.Select(n => new Assignment(new[] { new NamePart(n) }.ToEquatableArray(), ColumnRef.Of(source, n))).ToEquatableArray()),
            MergeInsert { IsStar: true } => new MergeInsert(names.ToEquatableArray(), names.Select(n => (Expr)ColumnRef.Of(source, n)).ToEquatableArray()),
            _ => action,
        };
        return merge with { Clauses = merge.Clauses.Select(c => c with { Action = Spell(c.Action) }).ToEquatableArray() };
    }

    /// <summary>The rows in the target's column order, each cast to the legacy type where the plan's differs.</summary>
    internal static PlanNode Conformed(RewriteTarget target, PlanNode rows)
    {
        var schema = PlanSchema.Of(rows);
        var expressions = new List<Expr>();
        var changed = schema.Count != target.Schema.Count;
        foreach (var column in target.Schema.Columns)
        {
            var source = schema.Columns.Items.FirstOrDefault(c => c.NameIs(column.Name))
                ?? throw new InvalidOperationException($"The rewrite of {target.Name} does not produce its column '{column.Name}'.");
            Expr reference = new ColumnRef([new NamePart(source.Name)]) { Binding = new ColumnBinding(null, source.Name, source.Type, source.Nullable) };
            if (!source.Type.Equals(column.Type))
            {
                reference = new Cast(reference, column.Type);
                changed = true;
            }

            expressions.Add(new Alias(reference, column.Name));
        }

        changed |= !schema.Columns.Items.Select(c => c.Name).SequenceEqual(target.Schema.Columns.Items.Select(c => c.Name), StringComparer.Ordinal);

        // A bare VALUES names its columns col0, col1...: selected from, it carries the schema's names.
        changed |= rows is Plan.Values { Schema.Count: > 0 };
        return changed ? new Project(rows, [.. expressions]) : rows;
    }

    /// <summary>The query with the target's checks as a guard: when any row fails a check, reading the
    /// rows raises the legacy message, so the write never happens (as the legacy job raised before it).</summary>
    private static string Guarded(Query query, RewriteTarget target, ExactLowering lowering, Dialect dialect, SqlEmitter emitter)
    {
        var text = Print(query, dialect);
        if (target.Checks.IsEmpty)
        {
            return text;
        }

        var fail = dialect == Dialect.DuckDb ? "error" : "raise_error";
        var guards = target.Checks.Select(check =>
            $"CASE WHEN EXISTS (SELECT 1 FROM ({text}) AS _rows WHERE {SqlPrinter.Print(emitter.ToSyntax(lowering.LowerStandalone(check.FailWhen)), dialect)}) THEN {fail}({Literal(check.Message, dialect)}) ELSE TRUE END");
        return $"SELECT * FROM ({text}) AS _checked\nWHERE {string.Join("\n  AND ", guards)}";
    }

    internal static string Print(Statement statement, Dialect dialect) => SqlPrinter.Print(statement, dialect, pretty: true);

    internal static string Print(Query query, Dialect dialect) => SqlPrinter.Print(query, dialect, pretty: true);

    internal static string Name(TableName table, Dialect dialect) => string.Join(".", table.Parts.Items.Select(p => dialect.QuoteIdentifier(p.Text)));

    /// <summary>For comments only.</summary>
    internal static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A string literal as the dialect reads it (Spark reads backslash escapes).</summary>
    internal static string Literal(string value, Dialect dialect) => SqlPrinter.Print(Sql.Syntax.Literal.Of(value), dialect);
}
