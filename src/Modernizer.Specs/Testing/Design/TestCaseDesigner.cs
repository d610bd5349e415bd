using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Plans;
using Modernizer.Specs.Requirements;

namespace Modernizer.Specs.Testing.Design;

/// <summary>The Test Case Designer's engine (R3.1). Coverage comes from the plan: each predicate true, false
/// and null; each CASE arm; each join matched and unmatched on both sides and with duplicate keys; empty
/// input; aggregate groups of 0, 1 and many rows; each compared constant at b−1, b and b+1; null in every
/// nullable input column that is used. One case per goal (the happy path covers the lake sample), a
/// defect-preserving case per suspected defect (<c>defect:&lt;id&gt;</c>), and a pair of cases per assumption
/// whose alternative is a parameter value (the alternative tagged <c>alternative:&lt;id&gt;</c>, inactive).
/// Every case asserts the legacy output on its input, never what the output "should" be.</summary>
public static partial class TestCaseDesigner
{
    public static TestInventory Design(JobInputs inputs, RequirementSet requirements)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(requirements);
        var nullable = NullableColumns(requirements);
        var goals = new List<CoverageGoal>();
        var cases = new List<TestCaseDesign>();
        var defaults = inputs.Manifest.Parameters;

        var sample = new CoverageGoal("sample", "job", GoalKind.Sample, "the job's inputs as a stratified sample of the lake");
        goals.Add(sample);
        cases.Add(Case("happy_path", TestKind.HappyPath, "Legacy output on a stratified sample of the lake", [sample], requirements,
            [.. requirements.Requirements.Where(r => r.Kind is RequirementKind.BusinessRule or RequirementKind.InputContract or RequirementKind.OutputContract && r.Category is not ("suspected_defect" or "assumption")).Select(r => r.Id)]));

        foreach (var filter in inputs.Sites.OfType<FilterSite>())
        {
            foreach (var goal in PredicateGoals(filter, nullable))
            {
                goals.Add(goal);
                if (goal.NotApplicable is null)
                {
                    var kind = goal.Kind switch
                    {
                        GoalKind.PredicateNull => TestKind.Null,
                        GoalKind.BoundaryAbove or GoalKind.BoundaryAt or GoalKind.BoundaryBelow => TestKind.Boundary,
                        _ => TestKind.Edge,
                    };
                    cases.Add(Case(goal.Id, kind, goal.Description, [goal], requirements, Traced(requirements, filter.Id, goal.Table, goal.Column)));
                }
            }
        }

        foreach (var @case in inputs.Sites.OfType<CaseSite>())
        {
            foreach (var goal in ArmGoals(@case))
            {
                goals.Add(goal);
                if (goal.NotApplicable is null)
                {
                    cases.Add(Case(goal.Id, TestKind.Edge, goal.Description, [goal], requirements, Traced(requirements, @case.Id, goal.Table, goal.Column)));
                }
            }
        }

        foreach (var join in inputs.Sites.OfType<JoinSite>())
        {
            foreach (var goal in JoinGoals(join))
            {
                goals.Add(goal);
                if (goal.NotApplicable is null && goal.Kind != GoalKind.JoinMatched)
                {
                    cases.Add(Case(goal.Id, TestKind.Edge, goal.Description, [goal], requirements, Traced(requirements, join.Id, goal.Table, null)));
                }
                else if (goal.NotApplicable is null)
                {
                    // The lake sample is closed over join keys: matched rows are in the happy path.
                    cases[0] = cases[0] with { Goals = cases[0].Goals.Add(goal) };
                }
            }
        }

        var emptyCases = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in inputs.ExternalSources)
        {
            var goal = new CoverageGoal($"empty_{Slug(table)}", table, GoalKind.EmptyInput, $"{table} has no rows") { Table = table };
            goals.Add(goal);
            emptyCases[table] = cases.Count;
            cases.Add(Case(goal.Id, TestKind.Edge, goal.Description, [goal], requirements,
                Traced(requirements, null, table, null).AddRange(requirements.Requirements.Where(r => r.Category == "empty_input").Select(r => r.Id)).Distinct().ToImmutableArray()));
        }

        foreach (var aggregate in inputs.Sites.OfType<AggregateSite>())
        {
            var table = aggregate.Keys.Length > 0 && aggregate.Keys.All(k => k.IsInput) && aggregate.Keys.Select(k => k.Table).Distinct().Count() == 1 ? aggregate.Keys[0].Table : null;
            var keys = aggregate.Keys.Select(k => k.Column).ToImmutableArray();
            foreach (var (kind, size) in new[] { (GoalKind.GroupOfZero, "0"), (GoalKind.GroupOfOne, "1"), (GoalKind.GroupOfMany, "many") })
            {
                var goal = new CoverageGoal($"{aggregate.Id.ToLowerInvariant()}_group_of_{size}", aggregate.Id, kind, $"{aggregate.Text}: a group of {size} rows")
                {
                    Table = table,
                    Keys = keys,
                    NotApplicable = table is null ? "the grouping keys are computed or come from several inputs; the lake sample covers the groups" : null,
                };
                goals.Add(goal);
                if (goal.NotApplicable is not null)
                {
                    continue;
                }

                if (kind == GoalKind.GroupOfZero && emptyCases.TryGetValue(table!, out var index))
                {
                    cases[index] = cases[index] with { Goals = cases[index].Goals.Add(goal), RequirementIds = cases[index].RequirementIds.AddRange(Traced(requirements, aggregate.Id, null, null)).Distinct().ToImmutableArray() };
                }
                else
                {
                    cases.Add(Case(goal.Id, TestKind.Edge, goal.Description, [goal], requirements, Traced(requirements, aggregate.Id, table, null)));
                }
            }
        }

        foreach (var (table, column) in nullable.Where(n => inputs.ExternalSources.Contains(n.Table, StringComparer.OrdinalIgnoreCase)).OrderBy(n => n.Table, StringComparer.Ordinal).ThenBy(n => n.Column, StringComparer.Ordinal))
        {
            if (goals.Any(g => g.Kind == GoalKind.PredicateNull && g.Table == table && g.Column == column && g.NotApplicable is null))
            {
                continue;
            }

            var goal = new CoverageGoal($"null_{Slug(table)}_{Slug(column)}", $"{table}.{column}", GoalKind.NullColumn, $"{table}.{column} is null") { Table = table, Column = column };
            goals.Add(goal);
            cases.Add(Case(goal.Id, TestKind.Null, goal.Description, [goal], requirements, Traced(requirements, null, table, column)));
        }

        foreach (var defect in requirements.Requirements.Where(r => r.Category == "suspected_defect" && r.Origin.Defect is not null))
        {
            var id = defect.Origin.Defect!;
            var kind = inputs.Analysis.SuspectedDefects.FirstOrDefault(d => d.Id == id)?.Kind ?? "defect";
            var goal = DefectGoal(inputs, defect, kind, goals) ?? sample;
            cases.Add(Case($"defect_{id.ToLowerInvariant()}_{Slug(kind)}", TestKind.Regression,
                $"Defect-preserving ({id}, {kind}): the rewrite reproduces the legacy behaviour" + (goal == sample ? " on the lake sample" : $" where {goal.Description}"),
                [goal], requirements, [defect.Id, .. Traced(requirements, goal.Site, null, null)])
            with
            { Tags = [$"defect:{id}", $"defect_kind:{kind}"] });
        }

        foreach (var requirement in requirements.Requirements.Where(r => r.Origin.Assumption is not null))
        {
            if (Alternative(inputs, requirement) is not { } alternative)
            {
                continue;
            }

            var id = requirement.Origin.Assumption!;
            var chosen = new CoverageGoal($"{id.ToLowerInvariant()}_default", id, GoalKind.Parameter, $"{alternative.Name} = {alternative.Default} (the reading chosen)") { Column = alternative.Name, Value = alternative.Default };
            var other = new CoverageGoal($"{id.ToLowerInvariant()}_alternative", id, GoalKind.Parameter, $"{alternative.Name} = {alternative.Value} (the alternative reading)") { Column = alternative.Name, Value = alternative.Value };
            goals.Add(chosen);
            goals.Add(other);
            cases.Add(Case($"interpretation_{id.ToLowerInvariant()}", TestKind.Regression, $"Dual interpretation of {id}, chosen reading: {alternative.Name} = {alternative.Default}", [chosen], requirements, [requirement.Id])
                with
            { Tags = [$"interpretation:{id}"], Parameters = Parameters(defaults, alternative.Name, alternative.Default) });
            cases.Add(Case($"alternative_{id.ToLowerInvariant()}", TestKind.Regression, $"Dual interpretation of {id}, alternative reading: {alternative.Name} = {alternative.Value}", [other], requirements, [requirement.Id])
                with
            { Tags = [$"alternative:{id}"], Parameters = Parameters(defaults, alternative.Name, alternative.Value), Active = false });
        }

        var guarded = cases.Select(c => c with { Goals = [.. c.Goals.Select(g => Guarded(inputs, g))] });
        var withDefaults = guarded.Select(c => c.Parameters.IsEmpty ? c with { Parameters = Parameters(defaults, null, null) } : c).ToImmutableArray();
        return new TestInventory(inputs.Job.Value, withDefaults, [.. goals.Select(g => Guarded(inputs, g))]);
    }

    /// <summary>Adds a case a model suggested: one value for one input column. It becomes a goal like any other;
    /// its data is built by the generator and its expected rows come from the legacy runner.</summary>
    public static TestInventory AddSuggested(TestInventory inventory, JobInputs inputs, string description, string table, string column, string value, ImmutableArray<string> requirementIds)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(inputs);
        var number = inventory.Cases.Count(c => c.Origin == "model") + 1;
        var goal = new CoverageGoal($"model_{number.ToString(CultureInfo.InvariantCulture)}", $"{table}.{column}", GoalKind.PredicateTrue, description)
        {
            Table = table,
            Column = column,
            Op = AtomOp.Eq,
            Constants = [value],
            Predicate = $"\"{column.Replace("\"", "\"\"", StringComparison.Ordinal)}\" = {value}",
        };
        var design = new TestCaseDesign(goal.Id, TestKind.Edge, description, ["suggested_by:model"], requirementIds, [goal])
        {
            Origin = "model",
            Parameters = Parameters(inputs.Manifest.Parameters, null, null),
        };
        return inventory with { Cases = inventory.Cases.Add(design), Goals = inventory.Goals.Add(goal) };
    }

    private static TestCaseDesign Case(string id, TestKind kind, string title, ImmutableArray<CoverageGoal> goals, RequirementSet requirements, IEnumerable<string> traced)
    {
        var ids = traced.Where(t => requirements.Find(t) is not null).Distinct(StringComparer.Ordinal).ToImmutableArray();
        return new TestCaseDesign(id, kind, title, [], ids, goals);
    }

    /// <summary>Requirements a goal exercises: those of its site, and the contract and edge-case requirements of its table and column.</summary>
    private static ImmutableArray<string> Traced(RequirementSet requirements, string? site, string? table, string? column) =>
        [.. requirements.Requirements.Where(r =>
            (site is not null && r.Origin.Site == site)
            || (table is not null && r.Kind == RequirementKind.InputContract && r.Columns.Any(c => c.StartsWith(table + ".", StringComparison.OrdinalIgnoreCase) || c == table))
            || (column is not null && table is not null && r.Kind == RequirementKind.EdgeCase && r.Columns.Contains($"{table}.{column}", StringComparer.OrdinalIgnoreCase)))
            .Select(r => r.Id)];

    private static IEnumerable<CoverageGoal> PredicateGoals(FilterSite filter, IReadOnlySet<(string Table, string Column)> nullable)
    {
        var id = filter.Id.ToLowerInvariant();
        var atom = filter.Atom;
        if (atom is null || !atom.Column.IsInput || atom.RunTimeValue || atom.Op == AtomOp.Other)
        {
            var why = atom?.RunTimeValue == true || Predicates.HasRunTimeValue(filter.Predicate)
                ? "the compared value is only known at run time; the lake sample around the job's parameter dates covers both outcomes"
                : "the condition reads computed columns; the lake sample covers its outcomes";
            foreach (var kind in new[] { GoalKind.PredicateTrue, GoalKind.PredicateFalse, GoalKind.PredicateNull })
            {
                yield return new CoverageGoal($"{id}_{Outcome(kind)}", filter.Id, kind, $"{filter.Text} is {Outcome(kind)}") { NotApplicable = why };
            }

            yield break;
        }

        var table = atom.Column.Table!;
        var column = atom.Column.Column;
        var predicate = Predicates.ToDuckDb(filter.Predicate);
        var constants = atom.Values.Select(Predicates.ToDuckDb).ToImmutableArray();
        if (predicate is null || constants.Any(c => c is null))
        {
            yield break;
        }

        var isNullTest = atom.Op is AtomOp.IsNull or AtomOp.IsNotNull;
        foreach (var kind in new[] { GoalKind.PredicateTrue, GoalKind.PredicateFalse, GoalKind.PredicateNull })
        {
            var notApplicable = kind == GoalKind.PredicateNull && isNullTest
                ? "an IS [NOT] NULL test is never null: its null case is its true or false case"
                : kind == GoalKind.PredicateNull && !nullable.Contains((table, column))
                    ? $"{table}.{column} is never null in the input contract (no null observed)"
                    : null;
            yield return new CoverageGoal($"{id}_{Outcome(kind)}", filter.Id, kind, $"{filter.Text} is {Outcome(kind)}")
            {
                Table = table,
                Column = column,
                Predicate = predicate,
                Op = atom.Op,
                Constants = [.. constants!],
                Type = atom.Column.Type,
                NotApplicable = notApplicable,
            };
        }

        if (atom.Op is AtomOp.Lt or AtomOp.LtEq or AtomOp.Gt or AtomOp.GtEq or AtomOp.Between && Orderable(atom.Column.Type))
        {
            for (var i = 0; i < constants.Length; i++)
            {
                var which = constants.Length == 1 ? string.Empty : i == 0 ? "low_" : "high_";
                foreach (var (kind, name) in new[] { (GoalKind.BoundaryBelow, "below"), (GoalKind.BoundaryAt, "at"), (GoalKind.BoundaryAbove, "above") })
                {
                    yield return new CoverageGoal($"{id}_boundary_{which}{name}", filter.Id, kind, $"{column} just {name} {Predicates.ToSpark(atom.Values[i])} ({filter.Text})")
                    {
                        Table = table,
                        Column = column,
                        Predicate = predicate,
                        Op = atom.Op,
                        Constants = [constants[i]!],
                        Type = atom.Column.Type,
                    };
                }
            }
        }
    }

    private static IEnumerable<CoverageGoal> ArmGoals(CaseSite site)
    {
        var id = site.Id.ToLowerInvariant();
        var atoms = site.Arms.Where(a => a.Condition is not null).Select(a => a.Atom).ToList();
        var sameColumn = atoms.Count > 0 && atoms.All(a => a is { Solvable: true, Op: AtomOp.Eq or AtomOp.In }) && atoms.Select(a => a!.Column.Qualified).Distinct(StringComparer.Ordinal).Count() == 1;
        foreach (var arm in site.Arms)
        {
            var goalId = $"{id}_arm_{arm.Index.ToString(CultureInfo.InvariantCulture)}";
            if (arm.Condition is not null && arm.Atom is { Solvable: true } atom && Predicates.ToDuckDb(arm.Condition) is { } predicate && atom.Values.All(v => Predicates.ToDuckDb(v) is not null))
            {
                yield return new CoverageGoal(goalId, site.Id, GoalKind.CaseArm, $"{site.Column ?? "CASE"}: {arm.Label}")
                {
                    Table = atom.Column.Table,
                    Column = atom.Column.Column,
                    Predicate = predicate,
                    Op = atom.Op,
                    Constants = [.. atom.Values.Select(v => Predicates.ToDuckDb(v)!)],
                    Type = atom.Column.Type,
                };
            }
            else if (arm.Condition is null && sameColumn)
            {
                // ELSE: a value none of the WHEN arms names.
                var column = atoms[0]!.Column;
                yield return new CoverageGoal(goalId, site.Id, GoalKind.CaseArm, $"{site.Column ?? "CASE"}: ELSE")
                {
                    Table = column.Table,
                    Column = column.Column,
                    Predicate = "NOT (" + string.Join(" OR ", site.Arms.Where(a => a.Condition is not null).Select(a => "coalesce((" + Predicates.ToDuckDb(a.Condition!) + "), FALSE)")) + ")",
                    Op = AtomOp.NotIn,
                    Constants = [.. atoms.SelectMany(a => a!.Values).Select(v => Predicates.ToDuckDb(v)!)],
                    Type = column.Type,
                };
            }
            else
            {
                yield return new CoverageGoal(goalId, site.Id, GoalKind.CaseArm, $"{site.Column ?? "CASE"}: {arm.Label}")
                {
                    NotApplicable = "the arm's condition reads computed columns or several columns; the lake sample covers it",
                };
            }
        }
    }

    private static IEnumerable<CoverageGoal> JoinGoals(JoinSite join)
    {
        var id = join.Id.ToLowerInvariant();
        var left = join.Keys.Select(k => k.Left.Table).Distinct(StringComparer.Ordinal).ToList();
        var right = join.Keys.Select(k => k.Right.Table).Distinct(StringComparer.Ordinal).ToList();
        var usable = join.Keys.Length > 0 && left.Count == 1 && right.Count == 1 && left[0] is not null && right[0] is not null && join.Keys.All(k => k.Left.IsInput && k.Right.IsInput);
        var goals = new[]
        {
            (GoalKind.JoinMatched, "matched", "a row of each side has a match"),
            (GoalKind.JoinLeftUnmatched, "left_unmatched", "a left row has no match on the right"),
            (GoalKind.JoinRightUnmatched, "right_unmatched", "a right row has no match on the left"),
            (GoalKind.JoinDuplicateKey, "duplicate_key", "a key appears twice on the right"),
        };
        foreach (var (kind, name, text) in goals)
        {
            yield return usable
                ? new CoverageGoal($"{id}_{name}", join.Id, kind, $"{join.Text}: {text}")
                {
                    Table = left[0],
                    Keys = [.. join.Keys.Select(k => k.Left.Column)],
                    OtherTable = right[0],
                    OtherKeys = [.. join.Keys.Select(k => k.Right.Column)],
                }
                : new CoverageGoal($"{id}_{name}", join.Id, kind, $"{join.Text}: {text}")
                {
                    NotApplicable = join.Keys.IsEmpty ? "the join has no equi-join keys (a cross join or a computed condition)" : "a join key is computed or spans several inputs; the lake sample covers it",
                };
        }
    }

    /// <summary>The goal that reproduces a suspected defect, when its kind maps onto one.</summary>
    private static CoverageGoal? DefectGoal(JobInputs inputs, Requirement defect, string kind, List<CoverageGoal> goals)
    {
        var site = defect.Origin.Site;
        if (kind == "round_half_even" && RoundingTie(inputs, defect) is { } tie)
        {
            goals.Add(tie);
            return tie;
        }

        var wanted = kind switch
        {
            "inner_join_drops_rows" => GoalKind.JoinLeftUnmatched,
            "fan_out_non_unique_lookup" => GoalKind.JoinDuplicateKey,
            "off_by_one_date_range" => GoalKind.BoundaryAt,
            _ => (GoalKind?)null,
        };
        if (wanted is null)
        {
            return null;
        }

        var line = inputs.Analysis.SuspectedDefects.First(d => d.Id == defect.Origin.Defect).Line;
        return goals.Where(g => g.Kind == wanted && g.NotApplicable is null)
            .Select(g => (Goal: g, Site: inputs.Sites.FirstOrDefault(s => s.Id == g.Site)))
            .Where(x => x.Site is not null)
            .OrderBy(x => x.Goal.Site == site ? 0 : 1).ThenBy(x => Math.Abs(x.Site!.Span.Line - line))
            .Select(x => x.Goal)
            .FirstOrDefault(g => g.Site == site || Math.Abs(inputs.Sites.First(s => s.Id == g.Site).Span.Line - line) <= 12);
    }

    /// <summary>The goal with the other filters of its tables, so the generator changes a row that reaches the operator.</summary>
    private static CoverageGoal Guarded(JobInputs inputs, CoverageGoal goal)
    {
        string? GuardOf(string? table) => table is null ? null : string.Join(" AND ", inputs.Sites.OfType<FilterSite>()
            .Where(f => f.Table == table && f.Atom is { Solvable: true } && f.Id != goal.Site)
            .Select(f => Predicates.ToDuckDb(f.Predicate)).OfType<string>().Select(p => $"coalesce(({p}), FALSE)")) is { Length: > 0 } guard ? guard : null;
        return goal with { Guard = GuardOf(goal.Table), OtherGuard = GuardOf(goal.OtherTable) };
    }

    /// <summary>round_half_even: inputs of the rounded value chosen so the product is an exact binary tie at the
    /// cent (1.25 × 0.5 = 0.625): Python's round gives 0.62, a half-up round 0.63 — the test tells them apart.</summary>
    private static CoverageGoal? RoundingTie(JobInputs inputs, Requirement defect)
    {
        var finding = inputs.Analysis.SuspectedDefects.First(d => d.Id == defect.Origin.Defect);
        string? function = null;
        for (var line = finding.Line; line >= 1 && function is null; line--)
        {
            var match = FunctionDefinition().Match(inputs.Line(new SpanRef(finding.File, line)));
            function = match.Success ? match.Groups[1].Value : null;
        }

        var site = inputs.Sites.OfType<DerivedColumnSite>()
            .Where(d => (function is not null && Predicates.ToSpark(d.Expression).Contains(function + "(", StringComparison.Ordinal)) || (d.Span.File == finding.File && Math.Abs(d.Span.Line - finding.Line) <= 2))
            .FirstOrDefault();
        var numeric = site?.Inputs.Where(i => i.IsInput && Numeric(i.Type)).ToList() ?? [];
        if (site is null || numeric.Count != 2)
        {
            return null;
        }

        var (a, b) = (numeric[0], numeric[1]);
        var id = $"{site.Id.ToLowerInvariant()}_rounding_tie";
        var goal = new CoverageGoal(id, site.Id, GoalKind.DefectValues, $"{site.Name}: inputs {a.Column} = 1.25 and {b.Column} = 0.5, an exact tie at the cent")
        {
            Table = a.Table,
            Assignments = [new ValueAssignment(a.Table!, a.Column, "1.25"), new ValueAssignment(b.Table!, b.Column, "0.5")],
        };
        if (a.Table == b.Table)
        {
            return goal;
        }

        var join = inputs.Sites.OfType<JoinSite>().FirstOrDefault(j => j.Keys.Length > 0 && j.Keys.All(k => k.Left.Table == a.Table && k.Right.Table == b.Table));
        return join is null ? null : goal with { OtherTable = b.Table, Keys = [.. join.Keys.Select(k => k.Left.Column)], OtherKeys = [.. join.Keys.Select(k => k.Right.Column)] };
    }

    private static bool Numeric(string? type) =>
        type is not null && (type.StartsWith("DECIMAL", StringComparison.OrdinalIgnoreCase) || type.ToUpperInvariant() is "DOUBLE" or "FLOAT" or "INT" or "BIGINT");

    [GeneratedRegex(@"^\s*def\s+([A-Za-z_]\w*)\s*\(", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionDefinition();

    private sealed record AlternativeValue(string Name, string Default, string Value);

    /// <summary>An assumption about a parameter's default whose alternative can run as data: the parameter with another value.</summary>
    private static AlternativeValue? Alternative(JobInputs inputs, Requirement requirement)
    {
        var assumption = inputs.Analysis.Assumptions.FirstOrDefault(a => a.Id == requirement.Origin.Assumption);
        if (assumption is null || DefaultOf().Match(assumption.Statement) is not { Success: true } match)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        var parameter = inputs.Manifest.Parameters.Keys.FirstOrDefault(p => string.Equals(p, name, StringComparison.Ordinal) || name.EndsWith("." + p, StringComparison.Ordinal));
        if (parameter is null)
        {
            return null;
        }

        var value = inputs.Manifest.Parameters[parameter] ?? match.Groups["value"].Value;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new AlternativeValue(parameter, value, date.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? new AlternativeValue(parameter, value, (number + 1).ToString(CultureInfo.InvariantCulture))
            : null;
    }

    private static ImmutableSortedDictionary<string, string?> Parameters(ImmutableSortedDictionary<string, string?> defaults, string? name, string? value) =>
        name is null ? defaults.WithComparers(StringComparer.Ordinal) : defaults.WithComparers(StringComparer.Ordinal).SetItem(name, value);

    /// <summary>Columns the input contract shows as nullable (nulls observed in the lake).</summary>
    private static IReadOnlySet<(string Table, string Column)> NullableColumns(RequirementSet requirements)
    {
        var result = new HashSet<(string, string)>();
        foreach (var requirement in requirements.Requirements.Where(r => r.Kind == RequirementKind.InputContract))
        {
            foreach (var query in requirement.Evidence.Select(e => e.Query).OfType<Modernizer.Specs.Data.QueryRecord>())
            {
                var rows = query.Long("rows");
                var table = requirement.Columns.FirstOrDefault() is { } first ? first[..first.LastIndexOf('.')] : null;
                foreach (var column in query.Columns.Where(c => c.EndsWith("__non_null", StringComparison.Ordinal)))
                {
                    if (table is not null && query.Long(column) < rows)
                    {
                        result.Add((table, column[..^"__non_null".Length]));
                    }
                }
            }
        }

        return result;
    }

    private static bool Orderable(string? type) =>
        type is not null && (type.Equals("DATE", StringComparison.OrdinalIgnoreCase) || type.StartsWith("DECIMAL", StringComparison.OrdinalIgnoreCase)
            || type.ToUpperInvariant() is "INT" or "BIGINT" or "SMALLINT" or "TINYINT" or "DOUBLE" or "FLOAT");

    private static string Outcome(GoalKind kind) => kind switch
    {
        GoalKind.PredicateTrue => "true",
        GoalKind.PredicateFalse => "false",
        _ => "null",
    };

    public static string Slug(string text) => Regex.Replace(text.ToLowerInvariant(), "[^a-z0-9]+", "_").Trim('_');

    [GeneratedRegex(@"(?:run-time setting|widget) '?(?<name>[\w.]+)'? takes its code default '(?<value>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex DefaultOf();
}
