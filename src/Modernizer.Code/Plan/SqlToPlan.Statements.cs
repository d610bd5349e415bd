using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Plan;

/// <summary>Writes: INSERT, CREATE TABLE [AS], CREATE VIEW, MERGE, UPDATE, DELETE.</summary>
public sealed partial class SqlToPlan
{
    private Write PlanInsert(InsertStatement insert)
    {
        var source = PlanQuery(insert.Source, null);
        return new Write(source, insert.Target, insert.Overwrite ? WriteMode.Overwrite : WriteMode.Append)
        {
            PartitionColumns = insert.Partition.Select(p => p.Column),
            StaticPartitions = insert.Partition.Items.Where(p => p.Value is not null).Select(p => p with { Value = Bind(p.Value!, Scope.Empty) }).ToEquatableArray(),
            Columns = insert.Columns,
            ByName = insert.ByName,
        };
    }

    private Write PlanCreateTable(CreateTableStatement create)
    {
        PlanNode source = create.AsQuery is null
            ? new Values([], new Schema(create.Columns.Select(c => new SchemaColumn(c.Name, c.Type, c.Nullable))))
            : PlanQuery(create.AsQuery, null);
        var mode = create.OrReplace ? WriteMode.Overwrite : create.IfNotExists ? WriteMode.Ignore : WriteMode.ErrorIfExists;
        return new Write(source, create.Name, mode)
        {
            Format = create.Using?.ToLowerInvariant(),
            PartitionColumns = create.PartitionedBy,
            CreatesTable = true,
            Location = create.Location,
        };
    }

    private DefineView PlanView(CreateViewStatement view)
    {
        var plan = PlanQuery(view.Query, null);
        if (!view.Columns.IsEmpty)
        {
            plan = new SubqueryAlias(plan, view.Name.Name) { ColumnAliases = view.Columns, Span = view.Span };
        }

        if (view.Kind != ViewKind.Persistent)
        {
            views[view.Name.ToString()] = plan;
        }

        return new DefineView(plan, view.Name, view.Kind, view.OrReplace);
    }

    private Write PlanMerge(MergeStatement merge)
    {
        var (target, targetScope) = PlanTableRef(new TableRef(merge.Target) { Alias = merge.TargetAlias, Span = merge.Span }, Scope.Empty);
        var (source, sourceScope) = PlanRelation(merge.Source, Scope.Empty);
        var scope = new Scope(targetScope.Entries.AddRange(sourceScope.Entries), null);
        var clauses = merge.Clauses.Select(clause => clause with
        {
            Condition = clause.Condition is null ? null : Bind(clause.Condition, scope),
            Action = clause.Action switch
            {
                MergeUpdate update => new MergeUpdate(update.Assignments.Select(a => a with { Value = Bind(a.Value, scope) })),
                MergeInsert insert => new MergeInsert(insert.Columns, insert.Values.Select(v => Bind(v, sourceScope))),
                _ => clause.Action,
            },
        });
        var spec = new MergeSpec(Bind(merge.On, scope), merge.TargetAlias, merge.Source.Alias, clauses);
        return new Write(source, merge.Target, WriteMode.Merge) { Merge = spec, Format = "delta", Span = merge.Span, Columns = TargetColumns(target) };
    }

    private static EquatableArray<string> TargetColumns(PlanNode target)
    {
        var schema = PlanSchema.Of(target);
        return schema.IsKnown ? schema.Columns.Select(c => c.Name) : [];
    }

    private Write PlanUpdate(UpdateStatement update)
    {
        var (target, scope) = PlanTableRef(new TableRef(update.Target) { Alias = update.Alias, Span = update.Span }, Scope.Empty);
        return new Write(target, update.Target, WriteMode.Update)
        {
            Assignments = update.Assignments.Select(a => a with { Value = Bind(a.Value, scope) }),
            Condition = update.Where is null ? null : Bind(update.Where, scope),
        };
    }

    private Write PlanDelete(DeleteStatement delete)
    {
        var (target, scope) = PlanTableRef(new TableRef(delete.Target) { Alias = delete.Alias, Span = delete.Span }, Scope.Empty);
        return new Write(target, delete.Target, WriteMode.Delete)
        {
            Condition = delete.Where is null ? null : Bind(delete.Where, scope),
        };
    }
}
