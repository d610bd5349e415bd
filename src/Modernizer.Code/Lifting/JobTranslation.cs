using System.Collections.Immutable;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting;

/// <summary>Why part of a job could not be rewritten exactly, and where (the job then escalates with
/// "no exact set-based rewrite: reason, span" instead of being delivered).</summary>
public sealed record RewriteRefusal(string Reason, string File, int Line)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}

/// <summary>Raised inside a translator to refuse the construct at hand.</summary>
public sealed class RewriteRefusedException(string reason, string file, int line) : Exception(reason)
{
    public RewriteRefusal Refusal { get; } = new(reason, file, line);
}

/// <summary>What a translator collects while it walks a job in execution order: the writes per
/// target (folded into <see cref="RewriteTarget"/>s at the end), parameters, assumptions and lifted
/// patterns. Shared by the SQL and the PySpark translators so a notebook's cells add to one job.</summary>
public sealed class JobTranslation
{
    private readonly List<(string Table, WriteStep Step)> _writes = [];
    private readonly Dictionary<string, RewriteParameter> _parameters = new(StringComparer.Ordinal);
    private readonly List<RewriteAssumption> _assumptions = [];
    private readonly List<LiftedPattern> _patterns = [];
    private readonly List<RewriteRefusal> _refusals = [];

    public JobTranslation(string jobId, ISchemaProvider? schemas, string sessionTimeZone)
    {
        JobId = jobId;
        Schemas = schemas;
        SessionTimeZone = sessionTimeZone;
        Sql = new SqlToPlan(schemas);
    }

    public string JobId { get; }

    public ISchemaProvider? Schemas { get; }

    public string SessionTimeZone { get; }

    /// <summary>The SQL planner, with the temporary views the job defined so far.</summary>
    public SqlToPlan Sql { get; }

    public IReadOnlyList<RewriteRefusal> Refusals => _refusals;

    public void Refuse(RewriteRefusal refusal) => _refusals.Add(refusal);

    public void AddParameter(RewriteParameter parameter) => _parameters.TryAdd(parameter.Name, parameter);

    public void Assume(RewriteAssumption assumption)
    {
        if (!_assumptions.Any(a => a.Id == assumption.Id))
        {
            _assumptions.Add(assumption);
        }
    }

    public void Lifted(LiftedPattern pattern) => _patterns.Add(pattern);

    /// <summary>A write in execution order. <paramref name="rows"/>: the written rows (the source rows
    /// of a merge); null for a DROP.</summary>
    public void Write(string table, WriteStep step) => _writes.Add((Key(table), step));

    /// <summary>True when the job dropped or overwrote the table earlier in the run.</summary>
    public bool Dropped(string table) =>
        _writes.Any(w => w.Table == Key(table) && w.Step.Kind is WriteStepKind.Drop or WriteStepKind.Overwrite);

    /// <summary>The table's content as the job has left it so far, when the job wrote it earlier in
    /// the run (a later read sees that content); null when the job has not written it.</summary>
    public PlanNode? ContentSoFar(string table)
    {
        var steps = _writes.Where(w => w.Table == Key(table)).Select(w => w.Step).ToList();
        if (steps.Count == 0)
        {
            return null;
        }

        var folded = Fold(table, steps, out var write);
        return write == TargetWrite.Overwrite ? folded?.Rows : null;
    }

    public JobProgram Build()
    {
        var targets = ImmutableArray.CreateBuilder<RewriteTarget>();
        foreach (var table in _writes.Select(w => w.Table).Distinct())
        {
            var steps = _writes.Where(w => w.Table == table).Select(w => w.Step).ToList();
            var target = Fold(table, steps, out _);
            if (target is not null)
            {
                targets.Add(target);
            }
        }

        return new JobProgram(JobId, targets.ToImmutable())
        {
            Parameters = [.. _parameters.Values.OrderBy(p => p.Name, StringComparer.Ordinal)],
            Assumptions = [.. _assumptions],
            Patterns = [.. _patterns],
            SessionTimeZone = SessionTimeZone,
        };
    }

    /// <summary>Folds a table's writes in order: a drop or an overwrite restarts the content, appends
    /// add to it, one merge merges into it.</summary>
    private RewriteTarget? Fold(string table, IReadOnlyList<WriteStep> steps, out TargetWrite write)
    {
        write = TargetWrite.Append;
        PlanNode? rows = null;
        var restarted = false;
        MergeSpec? merge = null;
        var line = 0;
        var partitionBy = ImmutableArray<string>.Empty;
        var checks = ImmutableArray<RewriteCheck>.Empty;
        foreach (var step in steps)
        {
            line = step.Line;
            checks = checks.AddRange(step.Checks);
            if (!step.PartitionBy.IsEmpty)
            {
                partitionBy = step.PartitionBy;
            }

            if (step.Guard is not null && step.Kind != WriteStepKind.Append)
            {
                // Taken only on some runs: where it is not, the content stays what it was so far.
                if (step.Kind == WriteStepKind.Merge || merge is not null)
                {
                    throw new RewriteRefusedException($"a merge into {table} under a condition known only at run time", step.File, step.Line);
                }

                var previous = rows ?? (restarted ? null : PreviousContent(table));
                var taken = step.Kind == WriteStepKind.Drop ? null : new Filter(step.Rows!, step.Guard);
                var kept = previous is null ? null : new Filter(previous, new Unary(UnaryOp.Not, step.Guard));
                rows = taken is null ? kept : kept is null ? taken : new Union(taken, kept, All: true);
                restarted = true;
                continue;
            }

            switch (step.Kind)
            {
                case WriteStepKind.Drop:
                    rows = null;
                    restarted = true;
                    merge = null;
                    break;
                case WriteStepKind.Overwrite:
                    rows = step.Rows;
                    restarted = true;
                    merge = null;
                    break;
                case WriteStepKind.Append:
                    if (merge is not null)
                    {
                        throw new RewriteRefusedException($"an append to {table} after a merge into it", step.File, step.Line);
                    }

                    var added = step.Guard is null ? step.Rows! : new Filter(step.Rows!, step.Guard);
                    rows = rows is null ? added : new Union(rows, added, All: true) { ByName = false };
                    break;
                case WriteStepKind.Merge:
                    if (merge is not null || restarted || rows is not null)
                    {
                        throw new RewriteRefusedException($"a merge into {table} combined with other writes in one run", step.File, step.Line);
                    }

                    rows = step.Rows;
                    merge = step.Merge;
                    break;
                default:
                    throw new InvalidOperationException($"Unknown write step {step.Kind}.");
            }
        }

        write = merge is not null ? TargetWrite.Merge : restarted ? TargetWrite.Overwrite : TargetWrite.Append;
        if (rows is null)
        {
            // Dropped and never written again: the table ends empty; not a target of the rewrite.
            return null;
        }

        var name = TableName.Of(table.Split('.'));
        var schema = Schemas?.GetSchema(name) ?? PlanSchema.Of(rows);
        return new RewriteTarget(name, schema, write, rows)
        {
            Merge = merge,
            PartitionBy = partitionBy,
            Checks = checks,
            Line = line,
            ReadsItself = write != TargetWrite.Overwrite || Reads(rows, table),
        };
    }

    /// <summary>The table as it was before the run (the job reads its own target).</summary>
    private PlanNode PreviousContent(string table)
    {
        var name = TableName.Of(table.Split('.'));
        var schema = Schemas?.GetSchema(name) ?? throw new RewriteRefusedException($"a conditional write to {table}, which is not in the lake (its previous content is unknown)", JobId, 0);
        return new Scan(name, schema);
    }

    private static bool Reads(PlanNode plan, string table) =>
        PlanTree.Nodes(plan).OfType<Scan>().Any(s => Key(s.Table.ToString()) == Key(table));

    private static string Key(string table) => table.ToLowerInvariant();
}

public enum WriteStepKind
{
    Drop,
    Overwrite,
    Append,
    Merge,
}

/// <summary>One write of the legacy job to a table.</summary>
public sealed record WriteStep(WriteStepKind Kind, PlanNode? Rows, string File, int Line)
{
    /// <summary>The write happens only where this (run-level) condition holds; null: always.</summary>
    public Expr? Guard { get; init; }

    public MergeSpec? Merge { get; init; }

    public ImmutableArray<string> PartitionBy { get; init; } = [];

    public ImmutableArray<RewriteCheck> Checks { get; init; } = [];
}
