using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Domain;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Queries;
using Modernizer.Lake.Tables;
using static Modernizer.Lake.Queries.Sql;

namespace Modernizer.Lake.Questions;

/// <summary>What a question is asked about: a relation in the engine's dialect, the table's name
/// and version for the record, and (when known) its columns to check names against.</summary>
public sealed record EvidenceTarget(Relation Relation, string Table, long? Version, ImmutableArray<string> Columns)
{
    /// <summary>A local table snapshot, read through DuckDB.</summary>
    public static EvidenceTarget ForSnapshot(TableSnapshot snapshot) => new(
        new EngineRelation(SqlDialect.DuckDb, DuckDbRelation.Render(snapshot)),
        snapshot.TablePath,
        snapshot.Version,
        [.. snapshot.Schema.Select(f => f.Name)]);

    /// <summary>A catalog table (e.g. on a Databricks SQL warehouse): <c>catalog.schema.table</c>.</summary>
    public static EvidenceTarget ForNamedTable(string qualifiedName, long? version) =>
        new(new NamedTable([.. qualifiedName.Split('.')]), qualifiedName, version, []);
}

/// <summary>An answer with what proves it (X1): the question, the answer, the exact query and
/// its bound values, the result, the table version and the engine version.</summary>
public sealed record EvidenceAnswer<T>(
    string Question,
    T Answer,
    string Sql,
    ImmutableArray<QueryParameter> Parameters,
    QueryResult Result,
    string Table,
    long? TableVersion,
    string Engine,
    string EngineVersion)
{
    public Modernizer.Domain.Evidence ToEvidence() => new(
        EvidenceKind.SourceData,
        TableVersion is { } v ? $"{Table}@v{v.ToString(CultureInfo.InvariantCulture)}" : Table,
        $"{Question} -> {Answer}; {Engine} {EngineVersion}: {Sql}");
}

/// <summary>A value of a column and how many rows hold it.</summary>
public sealed record ValueCount(object? Value, long Count);

/// <summary>The values a column takes; <see cref="Complete"/> is false when there were more than asked for.</summary>
public sealed record ValueList(ImmutableArray<ValueCount> Values, bool Complete)
{
    public override string ToString() => string.Join(", ", Values.Select(v => $"{v.Value ?? "null"} ({v.Count.ToString(CultureInfo.InvariantCulture)})")) + (Complete ? string.Empty : ", ...");
}

/// <summary>Evidence queries other roles ask (issue item 7, X1), built from the query model and
/// run on one engine.</summary>
public sealed class EvidenceQueries(IQueryEngine engine)
{
    /// <summary>Is column C ever null? Answer: the number of null rows (0 = never).</summary>
    public Task<EvidenceAnswer<long>> NullCountAsync(EvidenceTarget target, string column, CancellationToken cancellationToken) =>
        CountWhereAsync(target, $"how many rows of {target.Table} have {column} null", Sql.IsNull(ColumnOf(target, column)), cancellationToken);

    public async Task<EvidenceAnswer<bool>> IsEverNullAsync(EvidenceTarget target, string column, CancellationToken cancellationToken) =>
        AsBool(await NullCountAsync(target, column, cancellationToken), $"is {column} of {target.Table} ever null");

    public async Task<EvidenceAnswer<bool>> IsEverNegativeAsync(EvidenceTarget target, string column, CancellationToken cancellationToken) =>
        AsBool(await CountWhereAsync(target, string.Empty, Lt(ColumnOf(target, column), Val(0)), cancellationToken), $"is {column} of {target.Table} ever negative");

    /// <summary>Is C ever outside [low, high]? Nulls are not outside.</summary>
    public async Task<EvidenceAnswer<bool>> IsEverOutsideAsync(EvidenceTarget target, string column, object low, object high, CancellationToken cancellationToken)
    {
        var c = ColumnOf(target, column);
        var outside = Or(Lt(c, Val(low)), Gt(c, Val(high)));
        var question = string.Create(CultureInfo.InvariantCulture, $"is {column} of {target.Table} ever outside [{low}, {high}]");
        return AsBool(await CountWhereAsync(target, question, outside, cancellationToken), question);
    }

    /// <summary>Do the keys K repeat? Answer: how many key values occur more than once (0 = unique).</summary>
    public async Task<EvidenceAnswer<long>> RepeatedKeyCountAsync(EvidenceTarget target, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var columns = keys.Select(k => (SqlExpr)ColumnOf(target, k)).ToArray();
        var grouped = Select(CountAll().As("n")).From(target.Relation).GroupBy(columns);
        var query = Select(Fn(SqlFunctions.CountIf, Gt(Col("n"), Num(1))).As("repeated_keys"))
            .From(new SubqueryRelation(grouped, "k"));
        var question = $"do keys ({string.Join(", ", keys)}) of {target.Table} repeat";
        return await AskAsync(target, question, query, r => ToLong(r.Scalar), cancellationToken);
    }

    public async Task<EvidenceAnswer<bool>> DoKeysRepeatAsync(EvidenceTarget target, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        AsBool(await RepeatedKeyCountAsync(target, keys, cancellationToken), $"do keys ({string.Join(", ", keys)}) of {target.Table} repeat");

    /// <summary>Which values of C occur (most frequent first, at most <paramref name="limit"/>)?</summary>
    public Task<EvidenceAnswer<ValueList>> ValuesAsync(EvidenceTarget target, string column, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var c = ColumnOf(target, column);
        var query = Select(c.As("value"), CountAll().As("rows"))
            .From(target.Relation)
            .GroupBy(c)
            .OrderBy(Col("rows"), descending: true)
            .OrderBy(Col("value"))
            .Limit(limit + 1);
        return AskAsync(
            target,
            $"which values of {column} occur in {target.Table}",
            query,
            r => new ValueList([.. r.Rows.Take(limit).Select(row => new ValueCount(row[0], ToLong(row[1])))], r.Rows.Length <= limit),
            cancellationToken);
    }

    private Task<EvidenceAnswer<long>> CountWhereAsync(EvidenceTarget target, string question, SqlExpr predicate, CancellationToken cancellationToken) =>
        AskAsync(target, question, Select(CountAll().As("rows")).From(target.Relation).Where(predicate), r => ToLong(r.Scalar), cancellationToken);

    private async Task<EvidenceAnswer<T>> AskAsync<T>(EvidenceTarget target, string question, SelectQuery query, Func<QueryResult, T> answer, CancellationToken cancellationToken)
    {
        var rendered = SqlRenderer.Render(query, engine.Dialect);
        var result = await engine.QueryAsync(rendered.Sql, rendered.Parameters, cancellationToken);
        return new EvidenceAnswer<T>(question, answer(result), rendered.Sql, rendered.Parameters, result, target.Table, target.Version, engine.Name, engine.Version);
    }

    private static EvidenceAnswer<bool> AsBool(EvidenceAnswer<long> count, string question) =>
        new(question, count.Answer > 0, count.Sql, count.Parameters, count.Result, count.Table, count.TableVersion, count.Engine, count.EngineVersion);

    /// <summary>A column of the target, checked against its schema when known; "a.b" is a struct field.</summary>
    private static Column ColumnOf(EvidenceTarget target, string column)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        var path = column.Split('.');
        if (!target.Columns.IsEmpty && !target.Columns.Contains(path[0], StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Table '{target.Table}' has no column '{path[0]}' (columns: {string.Join(", ", target.Columns)}).", nameof(column));
        }

        return Col(path);
    }

    private static long ToLong(object? value) => value switch
    {
        null => 0,
        System.Numerics.BigInteger big => (long)big,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };
}
