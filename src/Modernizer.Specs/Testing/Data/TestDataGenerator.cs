using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using Modernizer.Domain.Serialization;
using Modernizer.Specs.Data;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Plans;
using Modernizer.Specs.Testing.Design;

namespace Modernizer.Specs.Testing.Data;

/// <summary>Whether the data of a case reaches a goal: checked by a query on the case's own inputs.</summary>
public sealed record GoalReach(string Goal, bool? Reached, string How);

/// <summary>The input tables of one case as written under <c>tests/fixtures/&lt;case&gt;/</c> (the legacy runner's
/// protocol), the rows per table, what each goal reached, and the mutations applied to the lake sample.</summary>
public sealed record CaseFixture(string Case, string Folder, ImmutableSortedDictionary<string, long> Rows, ImmutableArray<GoalReach> Goals, ImmutableArray<string> Mutations);

/// <summary>tests/fixtures/fixtures.json: every case's fixture and how the sample was drawn.</summary>
public sealed record FixtureSet(string JobId, ImmutableArray<CaseFixture> Cases, ImmutableArray<string> Notes)
{
    public const string FileName = "fixtures.json";
}

/// <summary>The Test Data Generator's engine (R3.2). It draws a bounded, stratified sample of the real lake
/// that keeps the inputs' referential relations (<see cref="FixtureSampler"/>), then builds each case's inputs
/// from it by solving the case's goal (a predicate made true, false or null; a boundary b−1, b, b+1; an
/// unmatched or duplicated join key; an emptied table; a group of one or many rows; a null in a nullable
/// column), set-based in DuckDB, checks on the case's own data that the goal is reached, and writes the
/// inputs in the legacy runner's format.</summary>
public sealed class TestDataGenerator(SampleOptions? options = null)
{
    private const string WorkSchema = "work";

    public async Task<FixtureSet> GenerateAsync(JobInputs inputs, TestInventory inventory, string fixturesFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(inventory);
        var staging = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(fixturesFolder))!, ".fixtures-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var sources = inputs.LakeFolders.Where(t => inputs.Sources.Contains(t.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            await using var lake = await LakeSession.OpenAsync(sources, [staging], cancellationToken);
            var notes = (await new FixtureSampler(options ?? SampleOptions.Default).SampleAsync(lake, inputs, cancellationToken)).ToBuilder();
            foreach (var missing in inputs.Sources.Where(s => !lake.Has(s)))
            {
                notes.Add($"{missing} is not in the lake: fixtures have no such table (the legacy runner treats it as missing)");
            }

            await lake.Engine.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {SqlText.Identifier(WorkSchema)}", null, cancellationToken);
            var cases = ImmutableArray.CreateBuilder<CaseFixture>();
            foreach (var design in inventory.Cases)
            {
                cases.Add(await BuildCaseAsync(lake, design, Path.Combine(staging, design.Id), cancellationToken));
            }

            var set = new FixtureSet(inputs.Job.Value, cases.ToImmutable(), notes.ToImmutable());
            await AtomicFile.WriteJsonAsync(Path.Combine(staging, FixtureSet.FileName), set, cancellationToken);
            Publish(staging, fixturesFolder);
            return set with { Cases = [.. set.Cases.Select(c => c with { Folder = Path.Combine(fixturesFolder, c.Case) })] };
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Replaces the fixtures folder as a whole, so a half-written set never looks complete.</summary>
    private static void Publish(string staging, string target)
    {
        var old = target + ".old-" + Guid.NewGuid().ToString("N");
        if (Directory.Exists(target))
        {
            Directory.Move(target, old);
        }

        Directory.Move(staging, target);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    private static string Work(string table) => $"{SqlText.Identifier(WorkSchema)}.{SqlText.Identifier(table)}";

    private static async Task<CaseFixture> BuildCaseAsync(LakeSession lake, TestCaseDesign design, string folder, CancellationToken cancellationToken)
    {
        var engine = lake.Engine;
        var tables = lake.Tables.Keys.ToList();
        foreach (var table in tables)
        {
            await engine.ExecuteAsync($"CREATE OR REPLACE TABLE {Work(table)} AS SELECT * FROM {FixtureSampler.BaseTable(table)}", null, cancellationToken);
        }

        var mutations = ImmutableArray.CreateBuilder<string>();
        foreach (var goal in design.Goals.Where(g => g.NotApplicable is null))
        {
            foreach (var statement in await MutationsAsync(lake, goal, cancellationToken))
            {
                try
                {
                    await engine.ExecuteAsync(statement, null, cancellationToken);
                    mutations.Add(statement);
                }
                catch (DbException e)
                {
                    mutations.Add($"-- not applied ({e.Message.Split('\n')[0]}): {statement}");
                }
            }
        }

        var reaches = ImmutableArray.CreateBuilder<GoalReach>();
        foreach (var goal in design.Goals)
        {
            reaches.Add(await ReachAsync(lake, goal, cancellationToken));
        }

        var rows = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var columns = lake.Tables[table].Schema.Select(f => new ProtocolColumn(f.Name, ProtocolTables.TypeOf(f.Type))).ToImmutableArray();
            await ProtocolTables.WriteAsync(engine, Work(table), SqlText.Identifier(FixtureSampler.RowColumn), table, columns, folder, cancellationToken);
            rows[table] = Convert.ToInt64((await engine.QueryAsync($"SELECT count(*) FROM {Work(table)}", null, cancellationToken)).Scalar, CultureInfo.InvariantCulture);
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "_params.json"),
            System.Text.Json.JsonSerializer.Serialize(design.Parameters, JsonDefaults.Compact) + "\n", cancellationToken);
        return new CaseFixture(design.Id, folder, rows.ToImmutable(), reaches.ToImmutable(), mutations.ToImmutable());
    }

    /// <summary>The SQL that makes the work tables reach a goal (nothing for the sample and parameter goals).</summary>
    private static async Task<IReadOnlyList<string>> MutationsAsync(LakeSession lake, CoverageGoal goal, CancellationToken cancellationToken)
    {
        if (goal.Table is not { } table || !lake.Has(table))
        {
            return [];
        }

        var t = Work(table);
        var row = SqlText.Identifier(FixtureSampler.RowColumn);
        string One(string? where) => $"(SELECT min({row}) FROM {t}{(where is null ? string.Empty : " WHERE " + where)})";
        string Both(string? a, string? b) => a is null ? b! : b is null ? a : $"({a}) AND ({b})";
        // A row that passes the table's other filters first, so the change reaches the operator under test.
        string Target(string? prefer) => goal.Guard is null
            ? $"coalesce({One(prefer)}, {One(null)})"
            : $"coalesce({One(Both(prefer, goal.Guard))}, {One(prefer)}, {One(goal.Guard)}, {One(null)})";
        string? Set(string column, string? value, string? prefer, int rows = 1) => value is null
            ? null
            : rows == 1
                ? $"UPDATE {t} SET {SqlText.Identifier(column)} = {Cast(value, ColumnType(lake, table, column))} WHERE {row} = {Target(prefer)}"
                : $"UPDATE {t} SET {SqlText.Identifier(column)} = {Cast(value, ColumnType(lake, table, column))} WHERE {row} IN (SELECT {row} FROM {t} ORDER BY {(goal.Guard is null ? string.Empty : $"coalesce(({goal.Guard}), FALSE) DESC, ")}{row} LIMIT {rows.ToString(CultureInfo.InvariantCulture)})";

        switch (goal.Kind)
        {
            case GoalKind.PredicateTrue or GoalKind.PredicateFalse or GoalKind.CaseArm when goal.Column is { } column && goal.Op is { } op:
                {
                    var want = goal.Kind != GoalKind.PredicateFalse;
                    var other = await OtherValueAsync(lake, t, column, op is AtomOp.IsNull or AtomOp.IsNotNull ? [] : goal.Constants, cancellationToken);
                    var value = ValueSolver.Solve(op, goal.Constants, goal.Type, want, other);
                    // Change a row whose outcome differs, so the case differs from the sample where it matters.
                    var prefer = goal.Predicate is null ? null : want ? $"NOT coalesce(({goal.Predicate}), FALSE)" : $"coalesce(({goal.Predicate}), FALSE)";
                    return Set(column, value, prefer) is { } update ? [update] : [];
                }

            case GoalKind.PredicateNull when goal.Column is { } column:
                return [Set(column, "NULL", goal.Predicate is null ? null : $"coalesce(({goal.Predicate}), FALSE)")!];

            case GoalKind.BoundaryBelow or GoalKind.BoundaryAt or GoalKind.BoundaryAbove when goal.Column is { } column && goal.Constants.Length == 1:
                {
                    var delta = goal.Kind switch { GoalKind.BoundaryBelow => -1, GoalKind.BoundaryAbove => 1, _ => 0 };
                    return Set(column, ValueSolver.Step(goal.Constants[0], goal.Type, delta), goal.Predicate is null ? null : $"coalesce(({goal.Predicate}), FALSE)") is { } update ? [update] : [];
                }

            case GoalKind.DefectValues when !goal.Assignments.IsEmpty:
                {
                    // One row (joined to the other table when the values span two), and the matching rows there.
                    var statements = new List<string>();
                    var on = goal.OtherTable is null ? null : string.Join(" AND ", goal.Keys.Select((k, i) => $"o.{SqlText.Identifier(goal.OtherKeys[i])} = x.{SqlText.Identifier(k)}"));
                    var prefer = goal.OtherTable is null ? null : $"{row} IN (SELECT x.{row} FROM {t} x WHERE EXISTS (SELECT 1 FROM {Work(goal.OtherTable)} o WHERE {on}))";
                    var chosen = Target(prefer);
                    foreach (var assignment in goal.Assignments)
                    {
                        var type = ColumnType(lake, assignment.Table, assignment.Column);
                        statements.Add(assignment.Table == table
                            ? $"UPDATE {t} SET {SqlText.Identifier(assignment.Column)} = {Cast(assignment.Value, type)} WHERE {row} = {chosen}"
                            : $"UPDATE {Work(assignment.Table)} o SET {SqlText.Identifier(assignment.Column)} = {Cast(assignment.Value, type)} WHERE EXISTS (SELECT 1 FROM {t} x WHERE x.{row} = {chosen} AND {on})");
                    }

                    return statements;
                }

            case GoalKind.NullColumn when goal.Column is { } column:
                return [Set(column, "NULL", null, rows: 2)!];

            case GoalKind.EmptyInput:
                return [$"DELETE FROM {t}"];

            case GoalKind.JoinLeftUnmatched or GoalKind.JoinRightUnmatched when goal.OtherTable is { } other && lake.Has(other):
                {
                    var (side, keys, otherKeys, otherTable, guard) = goal.Kind == GoalKind.JoinLeftUnmatched
                        ? (table, goal.Keys, goal.OtherKeys, other, goal.Guard)
                        : (other, goal.OtherKeys, goal.Keys, table, goal.OtherGuard);
                    // Break the match on a key no filter of this side reads, so the row still reaches the join.
                    var index = Enumerable.Range(0, keys.Length)
                        .OrderBy(i => guard is not null && guard.Contains(SqlText.Identifier(keys[i]), StringComparison.Ordinal) ? 1 : 0)
                        .ThenBy(i => ColumnType(lake, side, keys[i]) == "date" ? 1 : 0)
                        .First();
                    var key = keys[index];
                    var fresh = Fresh(Work(side), key, ColumnType(lake, side, key));
                    var matched = string.Join(" AND ", keys.Select((k, i) => $"{SqlText.Identifier(k)} IN (SELECT {SqlText.Identifier(otherKeys[i])} FROM {Work(otherTable)})"));
                    var preferred = guard is null ? matched : $"{matched} AND {guard}";
                    return fresh is null
                        ? []
                        : [$"UPDATE {Work(side)} SET {SqlText.Identifier(key)} = {fresh} WHERE {row} = coalesce((SELECT min({row}) FROM {Work(side)} WHERE {preferred}), (SELECT min({row}) FROM {Work(side)} WHERE {matched}), (SELECT min({row}) FROM {Work(side)}))"];
                }

            case GoalKind.JoinDuplicateKey when goal.OtherTable is { } other && lake.Has(other):
                {
                    // Duplicate a right row whose key matches a left row that passes the left side's filters.
                    var o = Work(other);
                    var on = string.Join(" AND ", goal.OtherKeys.Select((k, i) => $"l.{SqlText.Identifier(goal.Keys[i])} = r.{SqlText.Identifier(k)}"));
                    var matched = $"EXISTS (SELECT 1 FROM {t} l WHERE {on}{(goal.Guard is null ? string.Empty : $" AND l.{row} IN (SELECT {row} FROM {t} WHERE {goal.Guard})")})";
                    return [$"INSERT INTO {o} SELECT * EXCLUDE ({row}), (SELECT max({row}) + 1 FROM {o}) AS {row} FROM {o} WHERE {row} = coalesce((SELECT min(r.{row}) FROM {o} r WHERE {matched}), (SELECT min({row}) FROM {o}))"];
                }

            case GoalKind.GroupOfMany when !goal.Keys.IsEmpty:
                return
                [
                    $"INSERT INTO {t} SELECT * EXCLUDE ({row}), (SELECT max({row}) + 1 FROM {t}) AS {row} FROM {t} WHERE {row} = (SELECT min({row}) FROM {t})",
                    $"INSERT INTO {t} SELECT * EXCLUDE ({row}), (SELECT max({row}) + 1 FROM {t}) AS {row} FROM {t} WHERE {row} = (SELECT min({row}) FROM {t})",
                ];

            case GoalKind.GroupOfOne when !goal.Keys.IsEmpty:
                {
                    // Keep one row of the largest group.
                    var keys = string.Join(", ", goal.Keys.Select(SqlText.Identifier));
                    var same = string.Join(" AND ", goal.Keys.Select(k => $"x.{SqlText.Identifier(k)} IS NOT DISTINCT FROM g.{SqlText.Identifier(k)}"));
                    return [$"DELETE FROM {t} x WHERE EXISTS (SELECT 1 FROM (SELECT {keys}, min({row}) AS keep FROM {t} GROUP BY {keys} ORDER BY count(*) DESC, keep LIMIT 1) g WHERE {same} AND x.{row} <> g.keep)"];
                }

            default:
                return [];
        }
    }

    /// <summary>A key value no row of the other side has: past the largest number, or a marked string.</summary>
    private static string? Fresh(string table, string column, string? type)
    {
        var c = SqlText.Identifier(column);
        return type switch
        {
            "long" or "integer" or "short" => $"(SELECT coalesce(max({c}), 0) + 1000000 FROM {table})",
            "string" => $"'unmatched-' || coalesce((SELECT max({c}) FROM {table}), '')",
            "date" => "DATE '1900-01-01'",
            _ when type?.StartsWith("decimal(", StringComparison.Ordinal) == true => $"(SELECT coalesce(max({c}), 0) + 1000 FROM {table})",
            _ => null,
        };
    }

    private static async Task<string> OtherValueAsync(LakeSession lake, string table, string column, ImmutableArray<string> constants, CancellationToken cancellationToken)
    {
        try
        {
            var result = await lake.Engine.QueryAsync(ValueSolver.OtherValueQuery(table, column, constants), null, cancellationToken);
            if (result.Scalar is string value)
            {
                return SqlText.Literal(value);
            }
        }
        catch (DbException)
        {
            // No other value of a comparable type: fall back to a made-up one.
        }

        return constants.IsEmpty ? "'other'" : $"({constants[0]} || '_other')";
    }

    private static string? ColumnType(LakeSession lake, string table, string column) =>
        lake.Tables[table].Schema.FirstOrDefault(f => string.Equals(f.Name, column, StringComparison.OrdinalIgnoreCase))?.Type.SparkSql;

    private static string Cast(string value, string? type) =>
        value == "NULL" || type is null ? value : $"CAST({value} AS {ProtocolTables.DuckType(type)})";

    /// <summary>Whether the case's own inputs reach the goal (before any operator: a row may still be dropped by an earlier step).</summary>
    private static async Task<GoalReach> ReachAsync(LakeSession lake, CoverageGoal goal, CancellationToken cancellationToken)
    {
        if (goal.NotApplicable is not null)
        {
            return new GoalReach(goal.Id, null, goal.NotApplicable);
        }

        var t = goal.Table is null ? null : Work(goal.Table);
        var sql = goal.Kind switch
        {
            GoalKind.Sample or GoalKind.Parameter => null,
            GoalKind.PredicateTrue or GoalKind.CaseArm when goal.Predicate is not null => $"SELECT count(*) FILTER (WHERE coalesce(({goal.Predicate}), FALSE)) > 0 FROM {t}",
            GoalKind.PredicateFalse when goal.Predicate is not null => $"SELECT count(*) FILTER (WHERE NOT coalesce(({goal.Predicate}), TRUE)) > 0 FROM {t}",
            GoalKind.PredicateNull when goal.Predicate is not null => $"SELECT count(*) FILTER (WHERE ({goal.Predicate}) IS NULL) > 0 FROM {t}",
            GoalKind.BoundaryBelow or GoalKind.BoundaryAt or GoalKind.BoundaryAbove when goal.Column is not null =>
                $"SELECT count(*) FILTER (WHERE {SqlText.Identifier(goal.Column)} = {ValueSolver.Step(goal.Constants[0], goal.Type, goal.Kind == GoalKind.BoundaryBelow ? -1 : goal.Kind == GoalKind.BoundaryAbove ? 1 : 0)}) > 0 FROM {t}",
            GoalKind.NullColumn when goal.Column is not null => $"SELECT count(*) FILTER (WHERE {SqlText.Identifier(goal.Column)} IS NULL) > 0 FROM {t}",
            GoalKind.EmptyInput or GoalKind.GroupOfZero => $"SELECT count(*) = 0 FROM {t}",
            GoalKind.JoinMatched when goal.OtherTable is not null => $"SELECT EXISTS (SELECT 1 FROM {t} l JOIN {Work(goal.OtherTable)} r ON {On(goal)})",
            GoalKind.JoinLeftUnmatched when goal.OtherTable is not null => $"SELECT EXISTS (SELECT 1 FROM {t} l WHERE NOT EXISTS (SELECT 1 FROM {Work(goal.OtherTable)} r WHERE {On(goal)}))",
            GoalKind.JoinRightUnmatched when goal.OtherTable is not null => $"SELECT EXISTS (SELECT 1 FROM {Work(goal.OtherTable)} r WHERE NOT EXISTS (SELECT 1 FROM {t} l WHERE {On(goal)}))",
            GoalKind.JoinDuplicateKey when goal.OtherTable is not null =>
                $"SELECT EXISTS (SELECT 1 FROM {t} l JOIN (SELECT {string.Join(", ", goal.OtherKeys.Select(SqlText.Identifier))} FROM {Work(goal.OtherTable)} GROUP BY ALL HAVING count(*) > 1) r ON {On(goal)})",
            GoalKind.DefectValues when !goal.Assignments.IsEmpty => DefectValuesReach(goal, t!),
            GoalKind.GroupOfOne => $"SELECT EXISTS (SELECT 1 FROM {t} GROUP BY {string.Join(", ", goal.Keys.Select(SqlText.Identifier))} HAVING count(*) = 1)",
            GoalKind.GroupOfMany => $"SELECT EXISTS (SELECT 1 FROM {t} GROUP BY {string.Join(", ", goal.Keys.Select(SqlText.Identifier))} HAVING count(*) > 1)",
            _ => null,
        };
        if (sql is null || (goal.Table is not null && !lake.Has(goal.Table)))
        {
            return new GoalReach(goal.Id, goal.Kind is GoalKind.Sample or GoalKind.Parameter ? true : null,
                goal.Kind is GoalKind.Sample or GoalKind.Parameter ? "the lake sample itself" : "not checkable on the inputs");
        }

        try
        {
            var reached = (await lake.Engine.QueryAsync(sql, null, cancellationToken)).Scalar is true;
            return new GoalReach(goal.Id, reached, reached ? "checked on the case's inputs" : "the case's inputs do not reach it");
        }
        catch (DbException e)
        {
            return new GoalReach(goal.Id, null, "the check failed: " + e.Message.Split('\n')[0]);
        }
    }

    private static string DefectValuesReach(CoverageGoal goal, string table)
    {
        var join = goal.OtherTable is null ? string.Empty : $" JOIN {Work(goal.OtherTable)} o ON " + string.Join(" AND ", goal.Keys.Select((k, i) => $"o.{SqlText.Identifier(goal.OtherKeys[i])} = x.{SqlText.Identifier(k)}"));
        var conditions = goal.Assignments.Select(a => $"{(a.Table == goal.Table ? "x" : "o")}.{SqlText.Identifier(a.Column)} = {a.Value}");
        return $"SELECT EXISTS (SELECT 1 FROM {table} x{join} WHERE {string.Join(" AND ", conditions)})";
    }

    private static string On(CoverageGoal goal) =>
        string.Join(" AND ", goal.Keys.Select((k, i) => $"r.{SqlText.Identifier(goal.OtherKeys[i])} = l.{SqlText.Identifier(k)}"));
}
