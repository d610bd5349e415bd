using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Domain;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Curation;

/// <summary>Raw versus curated (issue item 6, R2.2, X3 row 5): classifies every schema difference
/// between a job's sources and its target as intentional or a suspected bug, using the job's
/// lineage as the explanation, and checks that the curated row count is within what the join graph
/// can produce — the sum over join keys of the product of key multiplicities. More rows than that
/// cannot come from the job's logic: potential corruption, escalated.</summary>
public static class RawCuratedAnalyzer
{
    public static async Task<RawCuratedReport> AnalyzeAsync(
        JobLineageInput lineage,
        IReadOnlyDictionary<string, TableSnapshot> tables,
        IQueryEngine engine,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(engine);
        if (engine.Dialect != SqlDialect.DuckDb)
        {
            throw new ArgumentException("Raw-versus-curated analysis reads local snapshots through DuckDB.", nameof(engine));
        }

        ArgumentOutOfRangeException.ThrowIfZero(lineage.SourceTables.Length);
        foreach (var name in lineage.SourceTables.Append(lineage.TargetTable))
        {
            if (!tables.ContainsKey(name))
            {
                throw new ArgumentException($"No snapshot was given for table '{name}' named in the lineage.", nameof(tables));
            }
        }

        var differences = ClassifySchema(lineage, tables);
        var rows = await AccountRowsAsync(lineage, tables, engine, cancellationToken);
        var evidence = ImmutableArray.Create(
            new Evidence(EvidenceKind.OutputData, Reference(tables[lineage.TargetTable]), $"curated rows {rows.CuratedRows.ToString(CultureInfo.InvariantCulture)}; at most {rows.ExplainableRows.ToString(CultureInfo.InvariantCulture)} explainable by the join graph; {engine.Name} {engine.Version}: {rows.Sql}"));
        evidence = evidence.AddRange(lineage.SourceTables.Select(t => new Evidence(EvidenceKind.SourceData, Reference(tables[t]), "source of " + lineage.TargetTable)));
        return new RawCuratedReport(lineage.TargetTable, differences, rows, evidence);
    }

    internal static ImmutableArray<SchemaDifference> ClassifySchema(JobLineageInput lineage, IReadOnlyDictionary<string, TableSnapshot> tables)
    {
        var target = tables[lineage.TargetTable];
        var result = ImmutableArray.CreateBuilder<SchemaDifference>();
        var referenced = new HashSet<(string, string)>();
        foreach (var edge in lineage.Joins)
        {
            referenced.UnionWith(edge.LeftKeys.Select(k => (edge.LeftTable, k.ToUpperInvariant())));
            referenced.UnionWith(edge.RightKeys.Select(k => (edge.RightTable, k.ToUpperInvariant())));
        }

        foreach (var field in target.Schema)
        {
            var mapping = lineage.Columns.FirstOrDefault(m => string.Equals(m.TargetColumn, field.Name, StringComparison.OrdinalIgnoreCase));
            if (mapping is null)
            {
                result.Add(new SchemaDifference(DifferenceKind.Unexplained, DifferenceVerdict.SuspectedBug, field.Name, [], "no step of the job produces this curated column"));
                continue;
            }

            referenced.UnionWith(mapping.Sources.Select(s => (s.Table, s.Column.ToUpperInvariant())));
            var missing = mapping.Sources.Where(s => !tables.TryGetValue(s.Table, out var t) || t.Column(s.Column) is null).ToList();
            if (missing.Count > 0)
            {
                result.Add(new SchemaDifference(DifferenceKind.Unexplained, DifferenceVerdict.SuspectedBug, field.Name, mapping.Sources,
                    $"the lineage reads {string.Join(", ", missing.Select(m => m.Table + "." + m.Column))}, which the raw table does not have"));
                continue;
            }

            if (mapping.Kind is MappingKind.Expression or MappingKind.Aggregate)
            {
                result.Add(new SchemaDifference(DifferenceKind.Derived, DifferenceVerdict.Intentional, field.Name, mapping.Sources,
                    $"computed by the job ({(mapping.Kind == MappingKind.Aggregate ? "aggregate" : "expression")}{(mapping.Expression is { } e ? ": " + e : string.Empty)})"));
                continue;
            }

            var source = mapping.Sources.Single();
            var sourceField = tables[source.Table].Column(source.Column)!;
            var renamed = !string.Equals(sourceField.Name, field.Name, StringComparison.OrdinalIgnoreCase);
            var retyped = sourceField.Type.SparkSql != field.Type.SparkSql;
            var rename = renamed ? $"renamed from {source.Table}.{sourceField.Name}" : string.Empty;
            if (retyped)
            {
                var change = $"{sourceField.Type.SparkSql} -> {field.Type.SparkSql}";
                var (verdict, why) = mapping.Kind == MappingKind.Cast
                    ? Narrows(sourceField.Type, field.Type)
                        ? (DifferenceVerdict.SuspectedBug, $"the job casts {change}, a narrowing conversion that can lose or null out values")
                        : (DifferenceVerdict.Intentional, $"the job casts {change}")
                    : (DifferenceVerdict.SuspectedBug, $"the type changed ({change}) but the job has no cast: an implicit conversion");
                result.Add(new SchemaDifference(DifferenceKind.Retyped, verdict, field.Name, mapping.Sources, renamed ? why + "; " + rename : why));
            }
            else if (renamed)
            {
                result.Add(new SchemaDifference(DifferenceKind.Renamed, DifferenceVerdict.Intentional, field.Name, mapping.Sources, rename + " by the job"));
            }
        }

        foreach (var table in lineage.SourceTables)
        {
            foreach (var field in tables[table].Schema.Where(f => !referenced.Contains((table, f.Name.ToUpperInvariant()))))
            {
                var shadowed = target.Column(field.Name) is not null;
                result.Add(shadowed
                    ? new SchemaDifference(DifferenceKind.Dropped, DifferenceVerdict.SuspectedBug, field.Name, [new SourceColumn(table, field.Name)],
                        $"{table}.{field.Name} is not used, yet the curated table has a column of that name filled from elsewhere")
                    : new SchemaDifference(DifferenceKind.Dropped, DifferenceVerdict.Intentional, field.Name, [new SourceColumn(table, field.Name)],
                        $"{table}.{field.Name} is not read by the job"));
            }
        }

        return result.ToImmutable();
    }

    private static async Task<RowAccounting> AccountRowsAsync(JobLineageInput lineage, IReadOnlyDictionary<string, TableSnapshot> tables, IQueryEngine engine, CancellationToken cancellationToken)
    {
        var targetSql = $"SELECT count(*) FROM {DuckDbRelation.Render(tables[lineage.TargetTable])}";
        var curated = ToLong((await engine.QueryAsync(targetSql, null, cancellationToken)).Scalar);
        var sql = ExplainableRowsSql(lineage, tables);
        var explainable = ToLong((await engine.QueryAsync(sql, null, cancellationToken)).Scalar);
        var suspected = curated > explainable;
        var reason = suspected
            ? string.Create(CultureInfo.InvariantCulture, $"the curated table has {curated:N0} rows but the job's joins can produce at most {explainable:N0} (from the key multiplicities of {string.Join(", ", lineage.SourceTables)}): potential data corruption")
            : string.Create(CultureInfo.InvariantCulture, $"{curated:N0} curated rows are within the {explainable:N0} the join graph can produce");
        return new RowAccounting(curated, explainable, sql, suspected, reason);
    }

    /// <summary>Each table reduced to (its join keys, count); joined along the edges; the sum of the
    /// products of counts is the join's row count (a left join keeps unmatched rows: factor 1).</summary>
    internal static string ExplainableRowsSql(JobLineageInput lineage, IReadOnlyDictionary<string, TableSnapshot> tables)
    {
        var driving = lineage.SourceTables[0];
        if (lineage.Joins.IsEmpty)
        {
            return $"SELECT count(*) FROM {DuckDbRelation.Render(tables[driving])}";
        }

        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var edge in lineage.Joins)
        {
            AddKeys(edge.LeftTable, edge.LeftKeys);
            AddKeys(edge.RightTable, edge.RightKeys);
        }

        var aliases = new Dictionary<string, string>(StringComparer.Ordinal) { [driving] = "t0" };
        var factors = new List<string> { "t0.__n" };
        var sql = new StringBuilder("SELECT CAST(coalesce(sum(");
        var from = new StringBuilder(" FROM ").Append(Aggregate(driving)).Append(" AS t0");
        var pending = lineage.Joins.ToList();
        while (pending.Count > 0)
        {
            var edge = pending.FirstOrDefault(e => aliases.ContainsKey(e.LeftTable))
                ?? throw new ArgumentException($"Join {pending[0].LeftTable} -> {pending[0].RightTable} is not connected to the driving table {driving}.", nameof(lineage));
            pending.Remove(edge);
            var alias = "t" + aliases.Count.ToString(CultureInfo.InvariantCulture);
            aliases[edge.RightTable] = alias;
            from.Append(edge.Kind == JoinKind.Left ? " LEFT JOIN " : " JOIN ").Append(Aggregate(edge.RightTable)).Append(" AS ").Append(alias).Append(" ON ");
            from.AppendJoin(" AND ", edge.LeftKeys.Zip(edge.RightKeys, (l, r) => $"{aliases[edge.LeftTable]}.{Q(l)} = {alias}.{Q(r)}"));
            factors.Add(edge.Kind == JoinKind.Left ? $"coalesce({alias}.__n, 1)" : $"{alias}.__n");
        }

        return sql.Append(string.Join(" * ", factors)).Append("), 0) AS BIGINT)").Append(from).ToString();

        void AddKeys(string table, IEnumerable<string> columns)
        {
            if (!tables.TryGetValue(table, out var snapshot))
            {
                throw new ArgumentException($"Join table '{table}' has no snapshot.", nameof(tables));
            }

            foreach (var column in columns)
            {
                var field = snapshot.Column(column) ?? throw new ArgumentException($"Join key '{column}' is not a column of '{table}'.", nameof(lineage));
                if (!keys.TryGetValue(table, out var list))
                {
                    keys[table] = list = [];
                }

                if (!list.Contains(field.Name))
                {
                    list.Add(field.Name);
                }
            }
        }

        string Aggregate(string table)
        {
            var columns = string.Join(", ", keys[table].Select(Q));
            return $"(SELECT {columns}, count(*) AS __n FROM {DuckDbRelation.Render(tables[table])} GROUP BY {columns})";
        }
    }

    private static bool Narrows(SparkType from, SparkType to)
    {
        if (from is not PrimitiveType f || to is not PrimitiveType t)
        {
            return true;
        }

        string[] integers = ["byte", "short", "integer", "long"];
        var fi = Array.IndexOf(integers, f.Name);
        var ti = Array.IndexOf(integers, t.Name);
        if (fi >= 0 && ti >= 0)
        {
            return ti < fi;
        }

        if (f.IsDecimal && t.IsDecimal)
        {
            var (fp, fs) = Precision(f.Name);
            var (tp, ts) = Precision(t.Name);
            return ts < fs || tp - ts < fp - fs;
        }

        return (f.Name, t.Name) switch
        {
            ("float", "double") => false,
            (_, "string") => false,
            (_, "double") when fi >= 0 => false,
            (_, "decimal") => true,
            ("date", "timestamp" or "timestamp_ntz") => false,
            _ when ti >= 0 && fi >= 0 => false,
            _ when t.IsDecimal && fi >= 0 => Precision(t.Name).Precision - Precision(t.Name).Scale < new[] { 3, 5, 10, 19 }[fi],
            _ => true,
        };
    }

    private static (int Precision, int Scale) Precision(string decimalType)
    {
        var inner = decimalType.Length > 8 ? decimalType[8..^1].Split(',') : ["10", "0"];
        return (int.Parse(inner[0], CultureInfo.InvariantCulture), int.Parse(inner[1], CultureInfo.InvariantCulture));
    }

    private static string Q(string identifier) => DuckDbTypes.QuoteIdentifier(identifier);

    private static string Reference(TableSnapshot snapshot) =>
        snapshot.Version is { } v ? $"{snapshot.TablePath}@v{v.ToString(CultureInfo.InvariantCulture)}" : snapshot.TablePath;

    private static long ToLong(object? value) => value switch
    {
        null => 0,
        System.Numerics.BigInteger big => (long)big,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };
}
