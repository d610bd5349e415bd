using System.Collections.Immutable;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Plan;

/// <summary>A relation visible in a FROM scope: its qualifier (alias or table name), the base
/// table when it is one, and its schema (possibly unknown).</summary>
internal sealed record ScopeEntry(string? Qualifier, string? Table, Schema Schema);

/// <summary>Name resolution scope: the FROM relations of one query block, and the enclosing
/// block's scope for correlated references.</summary>
internal sealed record Scope(ImmutableArray<ScopeEntry> Entries, Scope? Outer)
{
    public static Scope Empty { get; } = new([], null);

    public Schema Schema => Entries.Aggregate(Schema.Empty, (schema, entry) => schema.Concat(entry.Schema));

    public Scope With(ScopeEntry entry) => this with { Entries = Entries.Add(entry) };

    /// <summary>A scope over the output columns of a plan (grouped by their qualifiers).</summary>
    public static Scope Over(Schema schema, Scope? outer) =>
        new([new ScopeEntry(null, null, schema)], outer);

    /// <summary>Resolves a dotted reference; null when nothing matches (or it is ambiguous).</summary>
    public ColumnBinding? Resolve(EquatableArray<NamePart> parts, out string? problem)
    {
        problem = null;
        var names = parts.Select(p => p.Text);
        for (var scope = this; scope is not null; scope = scope.Outer)
        {
            var binding = scope.ResolveLocal(names, out problem);
            if (binding is not null || problem is not null)
            {
                return binding;
            }
        }

        problem = $"cannot resolve column '{string.Join(".", names)}'";
        return null;
    }

    private ColumnBinding? ResolveLocal(EquatableArray<string> names, out string? problem)
    {
        problem = null;

        // qualifier.column[.field...], then db.table.column[.field...]
        for (var qualifierLength = 1; qualifierLength <= Math.Min(2, names.Count - 1); qualifierLength++)
        {
            var qualifier = names[qualifierLength - 1];
            var entries = Entries.Where(e => e.Qualifier is not null && string.Equals(e.Qualifier, qualifier, StringComparison.OrdinalIgnoreCase)).ToList();
            if (entries.Count == 0)
            {
                entries = Entries.Where(e => e.Qualifier is null && e.Schema.Columns.Items.Any(c => c.QualifierIs(qualifier))).ToList();
            }

            foreach (var entry in entries)
            {
                var column = names[qualifierLength];
                var fields = names.Items.Skip(qualifierLength + 1);
                var found = entry.Schema.Columns.Items.Where(c => c.NameIs(column) && (entry.Qualifier is not null || c.QualifierIs(qualifier))).ToList();
                if (found.Count >= 1)
                {
                    return Bind(found[0], qualifier, fields);
                }

                if (!entry.Schema.IsKnown)
                {
                    return new ColumnBinding(qualifier, column, SparkType.Unknown, true, entry.Table, entry.Table is null ? null : column);
                }
            }
        }

        var name = names[0];
        var matches = Entries.SelectMany(e => e.Schema.Columns.Items.Where(c => c.NameIs(name)).Select(c => (Entry: e, Column: c))).ToList();
        if (matches.Count == 1)
        {
            return Bind(matches[0].Column, matches[0].Column.Qualifier ?? matches[0].Entry.Qualifier, names.Items.Skip(1));
        }

        if (matches.Count > 1)
        {
            // The same base column reached twice (e.g. USING) is not ambiguous.
            if (matches.Select(m => (m.Column.Table, m.Column.SourceColumn, m.Column.Qualifier)).Distinct().Count() == 1)
            {
                return Bind(matches[0].Column, matches[0].Column.Qualifier ?? matches[0].Entry.Qualifier, names.Items.Skip(1));
            }

            problem = $"column '{name}' is ambiguous";
            return null;
        }

        var unknown = Entries.Where(e => !e.Schema.IsKnown).ToList();
        if (unknown.Count == 1)
        {
            return new ColumnBinding(unknown[0].Qualifier, name, SparkType.Unknown, true, unknown[0].Table, unknown[0].Table is null ? null : name);
        }

        if (unknown.Count > 1)
        {
            // Several relations of unknown shape: the column exists, its table cannot be told.
            return new ColumnBinding(null, name, SparkType.Unknown, true);
        }

        return null;
    }

    private static ColumnBinding Bind(SchemaColumn column, string? qualifier, IEnumerable<string> fields)
    {
        var type = column.Type;
        var nullable = column.Nullable;
        foreach (var field in fields)
        {
            if (type is StructType structType && structType.Find(field) is { } structField)
            {
                type = structField.Type;
                nullable |= structField.Nullable;
            }
            else
            {
                type = SparkType.Unknown;
            }
        }

        return new ColumnBinding(qualifier, column.Name, type, nullable, column.Table, column.SourceColumn);
    }
}
