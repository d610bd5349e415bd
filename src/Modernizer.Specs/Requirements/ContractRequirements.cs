using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Specs.Data;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Requirements;

/// <summary>Input contracts, the output contract, error handling, the SLA and edge cases (R2.3), from
/// the plan, the profile, the lake and the catalog.</summary>
internal static class ContractRequirements
{
    public static async Task AddAsync(InferenceContext context, CancellationToken cancellationToken)
    {
        var facts = new Dictionary<string, QueryRecord>(StringComparer.Ordinal);
        foreach (var table in context.Inputs.ExternalSources)
        {
            await InputAsync(context, table, facts, cancellationToken);
        }

        foreach (var target in context.Inputs.Targets)
        {
            await OutputAsync(context, target, cancellationToken);
        }

        ErrorHandling(context);
        Sla(context);
        await EdgeCasesAsync(context, facts, cancellationToken);
    }

    /// <summary>Columns of <paramref name="table"/> the job reads: through its plan sites and its column lineage.</summary>
    public static ImmutableArray<string> UsedColumns(InferenceContext context, string table)
    {
        var fromSites = context.Inputs.Sites.SelectMany(SiteColumns).Where(c => c.IsInput && string.Equals(c.Table, table, StringComparison.OrdinalIgnoreCase)).Select(c => c.Column);
        var fromLineage = context.Inputs.Analysis.ColumnLineageMap.Values.SelectMany(v => v)
            .Where(s => s.StartsWith(table + ".", StringComparison.OrdinalIgnoreCase)).Select(s => s[(table.Length + 1)..]);
        var known = context.ColumnsOf(table).Select(c => c.Name).ToList();
        return [.. fromSites.Concat(fromLineage).Select(c => known.FirstOrDefault(k => string.Equals(k, c, StringComparison.OrdinalIgnoreCase)))
            .OfType<string>().Distinct(StringComparer.Ordinal).OrderBy(c => known.IndexOf(c))];
    }

    public static IEnumerable<ColumnUse> SiteColumns(PlanSite site) => Plans.SiteColumns.Of(site);

    private static async Task InputAsync(InferenceContext context, string table, Dictionary<string, QueryRecord> facts, CancellationToken cancellationToken)
    {
        var read = context.Inputs.Analysis.Reads.FirstOrDefault(r => string.Equals(r.Table, table, StringComparison.OrdinalIgnoreCase));
        var evidence = new List<RequirementEvidence>();
        if (read is not null)
        {
            evidence.Add(RequirementEvidence.Code($"{read.File}:{read.Line.ToString(CultureInfo.InvariantCulture)}", $"reads {table} via {read.Via}"));
        }

        if (!context.HasTable(table))
        {
            context.Add(RequirementKind.InputContract, "input", $"The job reads {table}; the table is not in the workspace lake, so its columns and ranges are not known.", 0.6, evidence,
                r => r with { Columns = [table] });
            return;
        }

        var used = UsedColumns(context, table);
        var types = context.ColumnsOf(table).ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var parts = new List<string>();
        if (await context.QueryAsync(EvidenceQueries.ColumnFacts(table, used), cancellationToken) is { } result)
        {
            facts[table] = result;
            var rows = result.Long("rows");
            foreach (var column in used)
            {
                var nonNull = result.Long(column + "__non_null");
                var distinct = result.Long(column + "__distinct");
                var traits = new List<string> { nonNull == rows ? "never null" : Invariant($"null in {rows - nonNull} of {rows} rows") };
                if (rows > 0 && distinct == rows)
                {
                    traits.Add("unique");
                }
                else if (distinct <= 12)
                {
                    traits.Add(Invariant($"{distinct} distinct values"));
                }

                if (context.Inputs.Profile.Column(table, column) is { } profile && profile.Min is not null)
                {
                    traits.Add($"from {Jobs.ProfileDocument.Text(profile.Min)} to {Jobs.ProfileDocument.Text(profile.Max)}");
                }

                parts.Add($"{column} {types.GetValueOrDefault(column, "?")} ({string.Join(", ", traits)})");
            }

            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, context.SourceEvidenceReference(table),
                Invariant($"{rows} rows; non-null and distinct counts of the {used.Length} columns used"))
            { Query = result });
        }

        var statement = used.IsEmpty
            ? $"The job reads {table} (no column of it reaches the plan's operators)."
            : $"{table} provides the columns the job uses: {string.Join("; ", parts)}.";
        context.Add(RequirementKind.InputContract, "input", statement, 0.95, evidence, r => r with { Columns = [.. used.Select(c => $"{table}.{c}")] });
    }

    private static async Task OutputAsync(InferenceContext context, string target, CancellationToken cancellationToken)
    {
        var writes = context.Inputs.Sites.OfType<WriteSite>().Where(w => string.Equals(w.Target, target, StringComparison.OrdinalIgnoreCase)).ToList();
        var evidence = writes.Select(w => RequirementEvidence.Code(w.Span.ToString(), w.Text)).ToList();
        var modes = writes.Select(w => w.Mode.ToString().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var partitions = writes.SelectMany(w => w.PartitionBy).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var columns = context.ColumnsOf(target);
        var statement = $"{target} is written ({(modes.Count == 0 ? "mode not known" : string.Join(", ", modes))})"
            + (partitions.Count == 0 ? ", not partitioned" : ", partitioned by " + string.Join(", ", partitions))
            + (columns.IsEmpty ? "." : ", with the columns " + string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}")) + ".");
        var key = context.Inputs.Sites.OfType<AggregateSite>()
            .Where(a => a.Targets.Contains(target, StringComparer.OrdinalIgnoreCase) && !a.Keys.IsEmpty && a.Keys.All(k => columns.Any(c => string.Equals(c.Name, k.Column, StringComparison.OrdinalIgnoreCase))))
            .Select(a => a.Keys.Select(k => k.Column).ToImmutableArray())
            .LastOrDefault();
        if (context.HasTable(target))
        {
            if (await context.QueryAsync(EvidenceQueries.Rows(target), cancellationToken) is { } rows)
            {
                var sources = context.Inputs.ExternalSources.Where(context.HasTable).ToList();
                evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(target),
                    Invariant($"the legacy output holds {rows.Long("rows")} rows"))
                { Query = rows });
                statement += Invariant($" The legacy output holds {rows.Long("rows")} rows.");
                if (sources.Count > 0)
                {
                    var counts = new List<string>();
                    foreach (var source in sources)
                    {
                        if (await context.QueryAsync(EvidenceQueries.Rows(source), cancellationToken) is { } sourceRows)
                        {
                            counts.Add(Invariant($"{sourceRows.Long("rows")} in {source}"));
                        }
                    }

                    statement += " Input rows: " + string.Join(", ", counts) + ".";
                }
            }

            if (!key.IsDefaultOrEmpty && await context.QueryAsync(EvidenceQueries.Repeats(target, key), cancellationToken) is { } repeats)
            {
                var unique = repeats.Long("repeated_keys") == 0;
                statement += unique ? $" Each ({string.Join(", ", key)}) appears once." : Invariant($" ({string.Join(", ", key)}) is not unique: {repeats.Long("repeated_keys")} keys repeat.");
                evidence.Add(new RequirementEvidence(EvidenceSource.OutputData, context.SourceEvidenceReference(target),
                    unique ? $"({string.Join(", ", key)}) is unique in {target}" : Invariant($"{repeats.Long("repeated_keys")} keys repeat"))
                { Query = repeats });
            }
        }

        context.Add(RequirementKind.OutputContract, "output", statement, 0.95, evidence, r => r with { Columns = [.. columns.Select(c => $"{target}.{c.Name}")] });
    }

    private static void ErrorHandling(InferenceContext context)
    {
        var analysis = context.Inputs.Analysis;
        foreach (var handler in analysis.Transformations.Where(t => t.Kind == "error_handling"))
        {
            var span = $"{handler.File}:{handler.Line.ToString(CultureInfo.InvariantCulture)}";
            var swallowed = handler.Description.Contains("swallowed", StringComparison.OrdinalIgnoreCase)
                || analysis.SuspectedDefects.Any(d => d.Kind == "swallowed_exception" && d.File == handler.File && Math.Abs(d.Line - handler.Line) <= 80);
            context.Add(RequirementKind.ErrorHandling, "exception",
                swallowed
                    ? $"An exception handled at {span} ({handler.Description}) does not fail the run: the job can end green without writing its output."
                    : $"An exception at {span} is handled as written ({handler.Description}).",
                0.8, [RequirementEvidence.Code(span, handler.Description)]);
        }

        foreach (var check in analysis.AntiPatterns.Where(a => a.RuleId == "ACT01"))
        {
            var span = $"{check.File}:{check.Line.ToString(CultureInfo.InvariantCulture)}";
            context.Add(RequirementKind.ErrorHandling, "empty_input",
                $"The job tests for empty input at {span} and stops there without writing when nothing qualifies.", 0.85,
                [RequirementEvidence.Code(span, context.Inputs.Line(new SpanRef(check.File, check.Line)).Trim())]);
        }

        var reads = analysis.Reads.Where(r => context.Inputs.ExternalSources.Contains(r.Table, StringComparer.OrdinalIgnoreCase)).ToList();
        if (reads.Count > 0)
        {
            context.Add(RequirementKind.ErrorHandling, "missing_input",
                "When an input table is missing the read fails and the job fails before writing (Spark raises on an unknown table): " + string.Join(", ", reads.Select(r => r.Table).Distinct(StringComparer.OrdinalIgnoreCase)) + ".",
                0.8, [.. reads.Select(r => RequirementEvidence.Code($"{r.File}:{r.Line.ToString(CultureInfo.InvariantCulture)}", $"reads {r.Table} via {r.Via}"))]);
        }

        foreach (var target in analysis.Writes.Where(w => w.Mode is not null))
        {
            if (analysis.Sources.Contains(target.Table, StringComparer.OrdinalIgnoreCase))
            {
                context.Add(RequirementKind.ErrorHandling, "own_target",
                    $"The job reads its own target {target.Table}; when the table does not exist yet it behaves as on its first run.", 0.8,
                    [RequirementEvidence.Code($"{target.File}:{target.Line.ToString(CultureInfo.InvariantCulture)}", $"writes {target.Table} mode={target.Mode}")]);
                break;
            }
        }
    }

    private static void Sla(InferenceContext context)
    {
        var catalog = context.Inputs.Catalog;
        var manifest = context.Inputs.Manifest;
        var evidence = new List<RequirementEvidence>();
        var parts = new List<string>();
        var schedule = manifest.Schedule ?? catalog.Schedule;
        if (schedule is not null)
        {
            parts.Add($"runs on the schedule {schedule}");
            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, manifest.Schedule is not null ? $"jobs/{context.Inputs.Job}/job.yaml" : catalog.InventorySource!, $"schedule {schedule}")
            {
                Query = new QueryRecord("schedule of the job", "catalog", ["schedule"], [[schedule]]),
            });
        }

        if (catalog.Deadline is not null)
        {
            parts.Add($"must finish by {catalog.Deadline} {catalog.Timezone}");
            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, catalog.SlaSource!, $"deadline {catalog.Deadline} {catalog.Timezone}")
            {
                Query = new QueryRecord("SELECT deadline, timezone FROM finops/slas.csv WHERE job_id = ?", "catalog", ["deadline", "timezone"], [[catalog.Deadline, catalog.Timezone]]),
            });
        }

        if (catalog.AvgRuntimeSeconds is { } runtime)
        {
            parts.Add(Invariant($"ran {runtime:0} s on average over {catalog.Runs} runs (failure rate {catalog.FailureRate:0.00})"));
            evidence.Add(new RequirementEvidence(EvidenceSource.SourceData, catalog.InventorySource!, Invariant($"avg_runtime_s {runtime:0.0}, runs {catalog.Runs}, failure_rate {catalog.FailureRate:0.000}"))
            {
                Query = new QueryRecord("SELECT avg_runtime_s, runs, failure_rate FROM portfolio/inventory.json WHERE job_id = ?", "catalog", ["avg_runtime_s", "runs", "failure_rate"],
                    [[runtime.ToString("0.0", CultureInfo.InvariantCulture), catalog.Runs?.ToString(CultureInfo.InvariantCulture), catalog.FailureRate?.ToString("0.000", CultureInfo.InvariantCulture)]]),
            });
        }

        var statement = parts.Count == 0
            ? "No schedule, deadline or runtime is recorded for the job; the rewrite must not run longer than the legacy job."
            : "The job " + string.Join("; ", parts) + ". The rewrite must keep the deadline.";
        context.Add(RequirementKind.Sla, "sla", statement, parts.Count == 0 ? 0.5 : 0.9, evidence);
    }

    private static async Task EdgeCasesAsync(InferenceContext context, Dictionary<string, QueryRecord> facts, CancellationToken cancellationToken)
    {
        foreach (var (table, result) in facts)
        {
            var rows = result.Long("rows");
            foreach (var column in UsedColumns(context, table))
            {
                var nulls = rows - result.Long(column + "__non_null");
                if (nulls <= 0)
                {
                    continue;
                }

                var qualified = $"{table}.{column}";
                var handling = NullHandling(context, table, column);
                context.Add(RequirementKind.EdgeCase, "nulls",
                    Invariant($"{qualified} is null in {nulls} of {rows} rows ({100.0 * nulls / Math.Max(1, rows):0.0}%); {handling}."), 0.85,
                    [new RequirementEvidence(EvidenceSource.SourceData, context.SourceEvidenceReference(table), Invariant($"{nulls} null values of {qualified}")) { Query = result }],
                    r => r with { Columns = [qualified] });
            }
        }

        foreach (var filter in context.Inputs.Sites.OfType<FilterSite>())
        {
            if (filter.Atom is not { Solvable: true } atom || atom.Op is not (AtomOp.Lt or AtomOp.LtEq or AtomOp.Gt or AtomOp.GtEq or AtomOp.Between) || !context.HasTable(atom.Column.Table!))
            {
                continue;
            }

            foreach (var bound in atom.Values)
            {
                var at = Predicates.ToDuckDb(bound);
                if (at is null || atom.Column.Type is not { } type)
                {
                    continue;
                }

                var (lower, upper) = Neighbours(type, at);
                if (lower is null || await context.QueryAsync(EvidenceQueries.Boundary(atom.Column.Table!, atom.Column.Column, lower, $"CAST({at} AS {DuckType(type)})", upper!), cancellationToken) is not { } counts)
                {
                    continue;
                }

                context.Add(RequirementKind.EdgeCase, "boundary",
                    $"At the boundary of {filter.Text}: rows with {atom.Column.Column} equal to {Predicates.ToSpark(bound)} are {(Includes(atom.Op, bound, atom) ? "kept" : "dropped")}; the values just below and above fall on either side.",
                    0.9,
                    [RequirementEvidence.Code(filter.Span.ToString(), filter.Text),
                     new RequirementEvidence(EvidenceSource.SourceData, context.SourceEvidenceReference(atom.Column.Table!), "rows just below, at and just above the boundary: " + counts.Summary()) { Query = counts }],
                    r => r with { Columns = [atom.Column.Qualified], Origin = new RequirementOrigin(filter.Id, null, null, null) });
            }
        }

        foreach (var join in context.Inputs.Sites.OfType<JoinSite>())
        {
            var requirement = context.Requirements.FirstOrDefault(r => r.Origin.Site == join.Id);
            var match = requirement?.Evidence.FirstOrDefault(e => e.Query?.Columns.Contains("right_duplicate_keys") == true)?.Query;
            if (match is not null && match.Long("right_duplicate_keys") > 0)
            {
                context.Add(RequirementKind.EdgeCase, "duplicates",
                    Invariant($"{match.Long("right_duplicate_keys")} keys of the right side of {join.Text} repeat, so a matching row appears once per repeated key."), 0.9,
                    [RequirementEvidence.Code(join.Span.ToString(), join.Text), new RequirementEvidence(EvidenceSource.SourceData, requirement!.Evidence[^1].Reference, "keys repeating on the right side") { Query = match }],
                    r => r with { Origin = new RequirementOrigin(join.Id, null, null, null) });
            }
        }

        foreach (var table in context.Inputs.ExternalSources)
        {
            context.Add(RequirementKind.EdgeCase, "empty_input",
                $"With no rows in {table} the job produces what the legacy program produces on such input (the empty-input golden test pins it down).", 0.7,
                context.Inputs.Analysis.Reads.Where(r => string.Equals(r.Table, table, StringComparison.OrdinalIgnoreCase)).Take(1)
                    .Select(r => RequirementEvidence.Code($"{r.File}:{r.Line.ToString(CultureInfo.InvariantCulture)}", $"reads {table}")),
                r => r with { Columns = [table] });
        }
    }

    private static string NullHandling(InferenceContext context, string table, string column)
    {
        bool Reads(ColumnUse c) => c.IsInput && string.Equals(c.Table, table, StringComparison.OrdinalIgnoreCase) && string.Equals(c.Column, column, StringComparison.OrdinalIgnoreCase);
        var dropped = context.Inputs.Sites.OfType<FilterSite>().FirstOrDefault(f => f.Columns.Any(Reads));
        if (dropped?.Atom is { Op: AtomOp.IsNotNull })
        {
            return $"such rows are dropped by {dropped.Text} ({dropped.Span})";
        }

        if (dropped is not null)
        {
            return $"such rows fail {dropped.Text} ({dropped.Span}) and are dropped";
        }

        var joined = context.Inputs.Sites.OfType<JoinSite>().FirstOrDefault(j => j.Keys.Any(k => Reads(k.Left) || Reads(k.Right)));
        if (joined is not null)
        {
            return $"a null key never matches in {joined.Text} ({joined.Span})";
        }

        var coalesced = context.Inputs.Sites.OfType<DerivedColumnSite>().FirstOrDefault(d => d.Inputs.Any(Reads) && Predicates.ToSpark(d.Expression).Contains("coalesce", StringComparison.OrdinalIgnoreCase));
        return coalesced is not null
            ? $"a null is replaced in {coalesced.Text} ({coalesced.Span})"
            : "such rows pass through with the null kept";
    }

    private static bool Includes(AtomOp op, Code.Sql.Syntax.Expr bound, PredicateAtom atom) => op switch
    {
        AtomOp.GtEq or AtomOp.LtEq or AtomOp.Between => true,
        _ => false,
    };

    private static (string? Lower, string? Upper) Neighbours(string sparkType, string at)
    {
        var type = DuckType(sparkType);
        return sparkType.ToUpperInvariant() switch
        {
            "DATE" => ($"CAST({at} AS DATE) - 1", $"CAST({at} AS DATE) + 1"),
            var t when t.StartsWith("DECIMAL", StringComparison.Ordinal) || t is "INT" or "BIGINT" or "SMALLINT" or "TINYINT" or "DOUBLE" or "FLOAT" => ($"CAST({at} AS {type}) - 1", $"CAST({at} AS {type}) + 1"),
            _ => (null, null),
        };
    }

    private static string DuckType(string sparkType) => sparkType.ToUpperInvariant() switch
    {
        "STRING" => "VARCHAR",
        "TIMESTAMP" => "TIMESTAMPTZ",
        var t => t,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
