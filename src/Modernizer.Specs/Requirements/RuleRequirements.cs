using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Specs.Data;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Requirements;

/// <summary>Business rules (R2.3) from the plan: one requirement per filter conjunct, join, aggregation,
/// CASE, derived column, window and Python loop, each with its code span and, where the lake has the
/// tables, a source-data query and an output-data query with their results.</summary>
internal static partial class RuleRequirements
{
    public const double PlanConfidence = 0.9;
    public const double RunTimeConfidence = 0.75;
    public const double OpaqueConfidence = 0.7;
    public const double OrderDependentConfidence = 0.45;

    public static async Task AddAsync(InferenceContext context, CancellationToken cancellationToken)
    {
        foreach (var site in context.Inputs.Sites)
        {
            switch (site)
            {
                case FilterSite filter:
                    await FilterAsync(context, filter, cancellationToken);
                    break;
                case JoinSite join:
                    await JoinAsync(context, join, cancellationToken);
                    break;
                case AggregateSite aggregate:
                    await AggregateAsync(context, aggregate, cancellationToken);
                    break;
                case DerivedColumnSite derived:
                    await DerivedAsync(context, derived, cancellationToken);
                    break;
                case CaseSite @case:
                    await CaseAsync(context, @case, cancellationToken);
                    break;
                case WindowSite window:
                    await WindowAsync(context, window, cancellationToken);
                    break;
                case LoopSite loop:
                    await LoopAsync(context, loop, cancellationToken);
                    break;
            }
        }

        await RangeTablesAsync(context, cancellationToken);
    }

    private static async Task FilterAsync(InferenceContext context, FilterSite site, CancellationToken cancellationToken)
    {
        var evidence = new List<RequirementEvidence> { RequirementEvidence.Code(site.Span.ToString(), $"filter {site.Text}") };
        var predicate = Predicates.ToDuckDb(site.Predicate);
        var table = site.Table;
        if (table is not null && predicate is not null && context.HasTable(table) && await context.QueryAsync(EvidenceQueries.FilterOnSource(table, predicate), cancellationToken) is { } source)
        {
            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, context.SourceEvidenceReference(table),
                Invariant($"{source.Long("kept")} of {source.Long("rows")} rows of {table} satisfy it, {source.Long("dropped")} do not, {source.Long("unknown")} are null for it"))
            { Query = source });
        }

        var named = site.Targets.FirstOrDefault(t => context.HasTable(t) && site.Columns.Count(c => !c.IsInput) > 0 && site.Columns.All(c => context.HasColumn(t, c.Column)));
        if (named is not null && predicate is not null && await context.QueryAsync(EvidenceQueries.FilterOnOutput(named, predicate), cancellationToken) is { } derived)
        {
            // A condition on computed columns the output keeps under the same names holds on every output row.
            var violating = derived.Long("violating") + derived.Long("unknown");
            evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(named),
                violating == 0 ? Invariant($"every one of the {derived.Long("rows")} rows of {named} satisfies it") : Invariant($"{violating} of the {derived.Long("rows")} rows of {named} do not satisfy it"))
            { Query = derived, Supports = violating == 0 });
        }

        var outputs = site.Columns.Where(c => c.IsInput).Select(c => context.IdentityOutput(c.Qualified)).ToList();
        if (named is null && outputs.Count > 0 && outputs.All(o => o is not null) && outputs.Select(o => o!.Value.Table).Distinct(StringComparer.Ordinal).Count() == 1)
        {
            var target = outputs[0]!.Value.Table;
            if (predicate is not null && await context.QueryAsync(EvidenceQueries.FilterOnOutput(target, predicate), cancellationToken) is { } output)
            {
                var violating = output.Long("violating") + output.Long("unknown");
                evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(target),
                    violating == 0
                        ? Invariant($"every one of the {output.Long("rows")} rows of {target} satisfies it")
                        : Invariant($"{violating} of the {output.Long("rows")} rows of {target} do not satisfy it"))
                { Query = output, Supports = violating == 0 });
            }
            else if (predicate is null)
            {
                foreach (var (outTable, column) in outputs.Select(o => o!.Value).Distinct())
                {
                    if (await context.QueryAsync(EvidenceQueries.Range(outTable, column), cancellationToken) is { } range)
                    {
                        evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(outTable),
                            $"{outTable}.{column} spans {range.Value("min") ?? "null"} .. {range.Value("max") ?? "null"} in the legacy output")
                        { Query = range });
                    }
                }
            }
        }

        var statement = (table is null ? "Only rows where " : $"Only rows of {table} where ") + site.Text + " are kept"
            + (site.RunTimeValue ? " (a value in the condition is only known at run time)." : ".");
        context.Add(RequirementKind.BusinessRule, "filter", statement, site.RunTimeValue ? RunTimeConfidence : PlanConfidence, evidence, r => r with
        {
            Columns = [.. site.Columns.Select(c => c.Qualified)],
            Origin = new RequirementOrigin(site.Id, null, null, null),
        });
    }

    private static async Task JoinAsync(InferenceContext context, JoinSite site, CancellationToken cancellationToken)
    {
        var left = Describe(site.LeftTables);
        var right = site.RightTables.IsEmpty && RangeTable.Find(context.Inputs).FirstOrDefault(b => b.Filter.Span.Line == site.Span.Line) is { } band
            ? $"the literal table {band.Table.Name} ({band.Table.Span})"
            : Describe(site.RightTables);
        var on = site.Keys.IsEmpty ? site.Condition : string.Join(" and ", site.Keys.Select(k => $"{k.Left.Column} = {k.Right.Column}"));
        var statement = site.Type switch
        {
            JoinType.Inner => $"Rows of {left} are joined with {right} on {on}; rows without a match are dropped and a key with several matches yields one row per match.",
            JoinType.LeftOuter => $"Every row of {left} is kept and joined with {right} on {on}; without a match the columns from {right} are null, and a key with several matches yields one row per match.",
            JoinType.RightOuter => $"Every row of {right} is kept and joined with {left} on {on}; without a match the columns from {left} are null.",
            JoinType.FullOuter => $"Rows of {left} and {right} are joined on {on}; unmatched rows of either side are kept with nulls for the other side.",
            JoinType.Cross => $"Every row of {left} is paired with every row of {right}" + (site.Condition.Length > 0 ? " and the pairs are filtered on " + site.Condition : string.Empty) + ".",
            JoinType.LeftSemi => $"Rows of {left} with a match in {right} on {on} are kept once.",
            JoinType.LeftAnti => $"Rows of {left} without a match in {right} on {on} are kept.",
            _ => $"{left} is joined with {right} on {on}.",
        };
        var evidence = new List<RequirementEvidence> { RequirementEvidence.Code(site.Span.ToString(), site.Text) };
        var leftTable = SingleTable(site.Keys.Select(k => k.Left));
        var rightTable = SingleTable(site.Keys.Select(k => k.Right));
        if (leftTable is not null && rightTable is not null && context.HasTable(leftTable) && context.HasTable(rightTable)
            && await context.QueryAsync(EvidenceQueries.JoinMatch(leftTable, [.. site.Keys.Select(k => k.Left.Column)], rightTable, [.. site.Keys.Select(k => k.Right.Column)]), cancellationToken) is { } match)
        {
            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, $"{context.SourceEvidenceReference(leftTable)}, {context.SourceEvidenceReference(rightTable)}",
                Invariant($"{match.Long("left_unmatched")} of {match.Long("left_rows")} rows of {leftTable} have no match in {rightTable}; {match.Long("right_unmatched")} of {match.Long("right_rows")} rows of {rightTable} have none in {leftTable}; {match.Long("right_duplicate_keys")} keys repeat in {rightTable}"))
            { Query = match });
        }

        context.Add(RequirementKind.BusinessRule, "join", statement, PlanConfidence, evidence, r => r with
        {
            Columns = [.. site.Keys.SelectMany(k => new[] { k.Left.Qualified, k.Right.Qualified }).Distinct(StringComparer.Ordinal)],
            Origin = new RequirementOrigin(site.Id, null, null, null),
        });
    }

    private static async Task AggregateAsync(InferenceContext context, AggregateSite site, CancellationToken cancellationToken)
    {
        var keys = site.Keys.Select(k => k.Column).ToImmutableArray();
        var statement = (keys.IsEmpty ? "All rows are aggregated into one row" : $"Rows are grouped by ({string.Join(", ", keys)}); each group yields one row")
            + (site.Aggregates.IsEmpty ? "." : " with " + string.Join(", ", site.Aggregates.Select(a => $"{a.Name} = {a.Sql}")) + ".");
        var evidence = new List<RequirementEvidence> { RequirementEvidence.Code(site.Span.ToString(), site.Text) };
        var table = SingleTable(site.Keys);
        if (table is not null && context.HasTable(table) && await context.QueryAsync(EvidenceQueries.DistinctKeys(table, keys), cancellationToken) is { } groups)
        {
            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, context.SourceEvidenceReference(table),
                Invariant($"{groups.Long("distinct_keys")} distinct ({string.Join(", ", keys)}) among {groups.Long("rows")} rows of {table}"))
            { Query = groups });
        }

        foreach (var target in site.Targets.Where(t => !keys.IsEmpty && context.HasTable(t) && keys.All(k => context.HasColumn(t, k)) && site.Aggregates.Any(a => context.HasColumn(t, a.Name))))
        {
            if (await context.QueryAsync(EvidenceQueries.Repeats(target, keys), cancellationToken) is { } repeats)
            {
                var repeated = repeats.Long("repeated_keys");
                evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(target),
                    repeated == 0
                        ? Invariant($"{target} holds one row per ({string.Join(", ", keys)}): {repeats.Long("keys")} keys, none repeated")
                        : Invariant($"{repeated} ({string.Join(", ", keys)}) keys repeat in {target}"))
                { Query = repeats, Supports = repeated == 0 });
            }
        }

        context.Add(RequirementKind.BusinessRule, "aggregate", statement, PlanConfidence, evidence, r => r with
        {
            Columns = [.. site.Keys.Select(k => k.Qualified).Concat(site.Aggregates.SelectMany(a => a.Inputs.Select(i => i.Qualified))).Distinct(StringComparer.Ordinal)],
            Origin = new RequirementOrigin(site.Id, null, null, null),
        });
    }

    private static async Task DerivedAsync(InferenceContext context, DerivedColumnSite site, CancellationToken cancellationToken)
    {
        var evidence = new List<RequirementEvidence> { RequirementEvidence.Code(site.Span.ToString(), site.Text) };
        var table = SingleTable(site.Inputs);
        var expression = Predicates.ToDuckDb(site.Expression);
        if (table is not null && expression is not null && context.HasTable(table) && site.Inputs.All(i => i.IsInput)
            && await context.QueryAsync(EvidenceQueries.Expression(table, expression), cancellationToken) is { } values)
        {
            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, context.SourceEvidenceReference(table),
                Invariant($"over {values.Long("rows")} rows of {table}: {values.Long("non_null")} non-null values from {values.Value("min") ?? "null"} to {values.Value("max") ?? "null"}"))
            { Query = values });
        }

        await AddOutputRangeAsync(context, site.Targets, site.Name, evidence, cancellationToken);
        context.Add(RequirementKind.BusinessRule, "derived_column", $"{site.Name} is computed as {Predicates.ToSpark(site.Expression)}.", PlanConfidence, evidence, r => r with
        {
            Columns = [.. site.Inputs.Select(i => i.Qualified)],
            Origin = new RequirementOrigin(site.Id, null, null, null),
        });
    }

    private static async Task CaseAsync(InferenceContext context, CaseSite site, CancellationToken cancellationToken)
    {
        var arms = site.Arms.Select(a => a.Condition is null ? $"otherwise {Predicates.ToSpark(a.Result)}" : $"{Predicates.ToSpark(a.Result)} when {Predicates.ToSpark(a.Condition)}");
        var statement = $"{site.Column ?? "The value"} is " + string.Join("; ", arms) + ".";
        var evidence = new List<RequirementEvidence> { RequirementEvidence.Code(site.Span.ToString(), site.Text) };
        var table = SingleTable(site.Inputs);
        var conditions = site.Arms.Select(a => a.Condition is null ? null : Predicates.ToDuckDb(a.Condition)).ToList();
        if (table is not null && context.HasTable(table) && site.Inputs.All(i => i.IsInput) && site.Arms.Where(a => a.Condition is not null).All(a => Predicates.ToDuckDb(a.Condition!) is not null)
            && await context.QueryAsync(EvidenceQueries.CaseArms(table, conditions), cancellationToken) is { } counts)
        {
            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, context.SourceEvidenceReference(table),
                "rows of " + table + " per arm: " + counts.Summary())
            { Query = counts });
        }

        if (site.Column is { } column)
        {
            foreach (var target in site.Targets.Where(t => context.HasTable(t) && context.HasColumn(t, column)))
            {
                if (await context.QueryAsync(EvidenceQueries.Values(target, column), cancellationToken) is { } values)
                {
                    evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(target),
                        $"{target}.{column} takes: " + string.Join(", ", values.Rows.Select(r => $"{r[0] ?? "null"} ({r[1]})")))
                    { Query = values });
                }
            }
        }

        context.Add(RequirementKind.BusinessRule, "case", statement, PlanConfidence, evidence, r => r with
        {
            Columns = [.. site.Inputs.Select(i => i.Qualified)],
            Origin = new RequirementOrigin(site.Id, null, null, null),
        });
    }

    private static async Task WindowAsync(InferenceContext context, WindowSite site, CancellationToken cancellationToken)
    {
        var evidence = new List<RequirementEvidence> { RequirementEvidence.Code(site.Span.ToString(), site.Text) };
        await AddOutputRangeAsync(context, site.Targets, site.Name, evidence, cancellationToken);
        var partition = site.PartitionBy.IsEmpty ? "over all rows (one partition)" : "per " + string.Join(", ", site.PartitionBy.Select(p => p.Column));
        var order = site.OrderBy.IsEmpty ? string.Empty : " in order of " + string.Join(", ", site.OrderBy.Select(o => o.Column));
        context.Add(RequirementKind.BusinessRule, "window", $"{site.Name} is {site.Sql}, computed {partition}{order}.", PlanConfidence, evidence, r => r with
        {
            Columns = [.. site.PartitionBy.Concat(site.OrderBy).Select(c => c.Qualified)],
            Origin = new RequirementOrigin(site.Id, null, null, null),
        });
    }

    private static async Task LoopAsync(InferenceContext context, LoopSite site, CancellationToken cancellationToken)
    {
        var evidence = new List<RequirementEvidence> { RequirementEvidence.Code(site.Body, site.Text) };
        if (site.Lookup is not { } lookup)
        {
            context.Add(RequirementKind.BusinessRule, "python_logic",
                $"Per-row Python logic at {site.Body} runs over the rows of {site.Source}; it is replaced by set-based logic (P2) that gives the same rows, as the golden tests pin down.",
                OpaqueConfidence, evidence, r => r with { Origin = new RequirementOrigin(site.Id, null, null, null) });
            return;
        }

        evidence.Add(RequirementEvidence.Code(lookup.Built.ToString(), $"{lookup.Dictionary}[({string.Join(", ", lookup.KeyColumns)})] = {lookup.Value}"));
        evidence.AddRange(lookup.UsedAt.Take(3).Select(u => RequirementEvidence.Code(u.ToString(), context.Inputs.Line(u).Trim())));
        var table = site.Tables.Length == 1 ? site.Tables[0] : null;
        var valueColumn = FieldOf().Match(lookup.Value) is { Success: true } m ? m.Groups[1].Value : null;
        var confidence = PlanConfidence;
        var statement = $"A value ({lookup.Value}) is looked up by ({string.Join(", ", lookup.KeyColumns)}) in a dict built from {site.Source}; a key that is not there gives the default of the lookup, and when {site.Source} holds several rows for one key the last row read wins.";
        if (table is not null && context.HasTable(table) && lookup.KeyColumns.All(k => context.HasColumn(table, k))
            && await context.QueryAsync(EvidenceQueries.LookupKeys(table, lookup.KeyColumns, valueColumn is not null && context.HasColumn(table, valueColumn) ? valueColumn : null), cancellationToken) is { } keys)
        {
            var conflicting = keys.Long("keys_with_different_values");
            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, context.SourceEvidenceReference(table),
                Invariant($"{keys.Long("keys")} keys; {keys.Long("keys_with_several_rows")} have several rows, {conflicting} of them with different values"))
            { Query = keys });
            if (conflicting > 0)
            {
                // The dict keeps the last row of a collect() whose order Spark does not define.
                confidence = OrderDependentConfidence;
                statement += Invariant($" {conflicting} keys of {table} have several different values, so the value taken depends on the order in which Spark returns the rows, which the code does not fix.");
            }
        }

        context.Add(RequirementKind.BusinessRule, "lookup", statement, confidence, evidence, r => r with
        {
            Columns = [.. lookup.KeyColumns.Select(k => table is null ? k : $"{table}.{k}").Concat(valueColumn is null || table is null ? [] : [$"{table}.{valueColumn}"]).Concat(LookupOutputs(context, lookup))],
            Origin = new RequirementOrigin(site.Id, null, null, "ITR01@" + site.Span),
        });
    }

    /// <summary>Output columns fed by the lines that read the lookup (a variable assigned there and written out).</summary>
    private static IEnumerable<string> LookupOutputs(InferenceContext context, DictLookup lookup)
    {
        var names = lookup.UsedAt.Select(u => Assigned().Match(context.Inputs.Line(u))).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var target in context.Inputs.Targets)
        {
            foreach (var (column, _) in context.ColumnsOf(target))
            {
                var uses = context.Inputs.CodeLines.Values.SelectMany(l => l).Any(line => line.Contains(column + "=", StringComparison.Ordinal) && names.Any(n => line.Contains(n, StringComparison.Ordinal)));
                if (uses || names.Contains(column))
                {
                    yield return $"{target}.{column}";
                }
            }
        }
    }

    private static async Task AddOutputRangeAsync(InferenceContext context, ImmutableArray<string> targets, string column, List<RequirementEvidence> evidence, CancellationToken cancellationToken)
    {
        foreach (var target in targets.Where(t => context.HasTable(t) && context.HasColumn(t, column)))
        {
            if (await context.QueryAsync(EvidenceQueries.Range(target, column), cancellationToken) is { } range)
            {
                evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(target),
                    Invariant($"{target}.{column}: {range.Long("non_null")} non-null of {range.Long("rows")} rows, {range.Long("distinct_values")} distinct, from {range.Value("min") ?? "null"} to {range.Value("max") ?? "null"}"))
                { Query = range });
            }
        }
    }

    /// <summary>A literal table used as ranges (<c>x &gt;= lo AND x &lt; hi</c>): one requirement per row,
    /// each with its code line and, when the label reaches the output, what the output holds per label.</summary>
    private static async Task RangeTablesAsync(InferenceContext context, CancellationToken cancellationToken)
    {
        foreach (var band in RangeTable.Find(context.Inputs))
        {
            foreach (var (row, index) in band.Rows.Select((r, i) => (r, i)))
            {
                var evidence = new List<RequirementEvidence>
                {
                    RequirementEvidence.Code(new SpanRef(band.Table.Span.File, band.Table.RowLines[index]).ToString(), $"{band.Table.Name} row {index + 1}: {row.Label} [{row.Low}, {row.High})"),
                    RequirementEvidence.Code(band.Filter.Span.ToString(), band.Filter.Text),
                };
                var measure = Predicates.ToDuckDb(band.Measure);
                foreach (var target in band.Filter.Targets.Where(t => context.HasTable(t) && context.HasColumn(t, band.LabelColumn)))
                {
                    if (measure is not null && await context.QueryAsync(
                        $"SELECT count(*) AS rows, min({measure}) AS min, max({measure}) AS max FROM {SqlText.Table(target)} WHERE {SqlText.Identifier(band.LabelColumn)} = {SqlText.Literal(row.Label)}", cancellationToken) is { } observed)
                    {
                        evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(target),
                            Invariant($"{observed.Long("rows")} rows of {target} have {band.LabelColumn} '{row.Label}', with {Predicates.ToSpark(band.Measure)} from {observed.Value("min") ?? "null"} to {observed.Value("max") ?? "null"}"))
                        { Query = observed });
                    }
                }

                context.Add(RequirementKind.BusinessRule, "range_rule",
                    Invariant($"{band.LabelColumn} is '{row.Label}' when {row.Low} <= {Predicates.ToSpark(band.Measure)} < {row.High} ({band.Table.Name} row {index + 1})."),
                    PlanConfidence, evidence, r => r with
                    {
                        Columns = [.. band.Filter.Columns.Select(c => c.Qualified)],
                        Origin = new RequirementOrigin(band.Filter.Id, null, null, null),
                    });
            }
        }
    }

    private static string Describe(ImmutableArray<string> tables) => tables.IsEmpty ? "driver data" : string.Join(" + ", tables);

    private static string? SingleTable(IEnumerable<ColumnUse> columns)
    {
        var list = columns.ToList();
        return list.Count > 0 && list.All(c => c.IsInput) && list.Select(c => c.Table).Distinct(StringComparer.Ordinal).Count() == 1 ? list[0].Table : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\b[A-Za-z_]\w*\.([A-Za-z_]\w*)\b", RegexOptions.CultureInvariant)]
    private static partial Regex FieldOf();

    [GeneratedRegex(@"^\s*([A-Za-z_]\w*)\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex Assigned();
}
